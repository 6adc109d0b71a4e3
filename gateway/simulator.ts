// `npm run chat`: talk to a running assistant from the terminal, as the owner or as any
// contact (a made-up Telegram id and name). Messages take the real gateway path
// (GatewayCore → signal-with-start), and replies arrive through this process serving
// the `telegram` task queue, exactly as the Telegram gateway would serve it.
//
// The window is for the conversation: logs go to DATA_DIR/chat.log, a lost connection is
// one "reconnecting…" line, and messages typed meanwhile are kept and sent when it is back.
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Interface } from 'node:readline/promises';
import { Worker } from '@temporalio/worker';
import type { Connections } from '../infra/connections.ts';
import { openConnections } from '../infra/connections.ts';
import type { Config } from '../infra/config.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log, logToFile } from '../infra/logger.ts';
import { isListening, notRunningMessage, temporalTarget } from '../infra/reachability.ts';
import { SessionClient } from '../clients/sessions.ts';
import { TemporalUnavailable } from '../infra/temporal.ts';
import { ConnectionWatch } from './connection-watch.ts';
import { GatewayCore } from './core.ts';
import type { InboundMessage, InboundSender } from './core.ts';
import { OwnerCommands } from './owner-commands.ts';
import { SimulatedTelegram } from './simulated-telegram.ts';
import { createTelegramActivities } from './transport.ts';

const HELP = `Type a message and press Enter to send it.
  /as owner                         talk as the owner
  /as <id> <first name> [@username] talk as a contact, e.g. /as 1001 Alice @alice
  /?                                this help
  /quit                             leave (Ctrl-D works too)
As the owner, /help, /status and /reset are the assistant's own commands.`;

export function parsePersona(args: string, ownerTelegramId: number): InboundSender | string {
  const words = args.trim().split(/\s+/).filter(Boolean);
  if (words[0] === 'owner') return { telegramId: ownerTelegramId, firstName: 'Owner' };
  const id = Number(words[0]);
  if (!Number.isSafeInteger(id) || id <= 0) return 'Usage: /as owner, or /as <numeric id> <first name> [@username]';
  const username = words.find((w) => w.startsWith('@'))?.slice(1);
  const names = words.slice(1).filter((w) => !w.startsWith('@'));
  return { telegramId: id, firstName: names[0] ?? `Contact ${id}`, lastName: names[1], username };
}

/** Lines for the person at the terminal; the prompt is redrawn once, after whatever was printed. */
class ChatWindow {
  private busy = false;
  constructor(private readonly rl: Interface) {}

  print(line: string): void {
    // On a terminal, clear the half-typed prompt line first; readline redraws it below.
    process.stdout.write(process.stdout.isTTY ? `\r\x1b[K${line}\n` : `${line}\n`);
    if (!this.busy) this.rl.prompt(true);
  }

  /** Runs `fn` with prompt redraws held back, then shows the prompt once. */
  async handle(fn: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await fn();
    } finally {
      this.busy = false;
      this.rl.prompt();
    }
  }
}

/** Serves the `telegram` task queue with the simulated Telegram; a worker that failed is replaced on reconnect. */
class ReplyServer {
  private worker: Worker | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly conns: Connections,
    private readonly config: Config,
    private readonly telegram: SimulatedTelegram,
  ) {}

  async start(): Promise<void> {
    if (this.worker) return;
    const worker = await Worker.create({
      connection: this.conns.nativeConnection,
      namespace: this.config.temporalNamespace,
      taskQueue: this.config.telegramTaskQueue,
      dataConverter: this.conns.dataConverter,
      activities: createTelegramActivities(this.telegram),
    });
    this.worker = worker;
    this.running = worker.run().catch((err: unknown) => {
      log.warn('The reply worker stopped; it is restarted on reconnect', { error: err });
      this.worker = undefined;
    });
  }

  async stop(): Promise<void> {
    if (this.worker?.getState() === 'RUNNING') this.worker.shutdown();
    await this.running;
  }
}

/** Waits (up to a minute) until the server answers for `namespace`. */
async function untilServing(conns: Connections, namespace: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      await conns.connection.withDeadline(Date.now() + 2000, () =>
        conns.connection.workflowService.describeNamespace({ namespace }),
      );
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function run(): Promise<void> {
  const config = startup({ claude: false });
  const logFile = join(resolve(config.dataDir), 'chat.log');
  logToFile(logFile);
  const target = temporalTarget(config);
  if (!(await isListening(target.host, target.port))) throw new TemporalUnavailable(notRunningMessage(config));

  const conns = await openConnections(config, target.address);
  const telegram = new SimulatedTelegram();
  const replies = new ReplyServer(conns, config, telegram);
  const watch = new ConnectionWatch(target);
  const gateway = new GatewayCore({
    db: conns.db,
    sessions: new SessionClient(conns.client, config),
    config,
    commands: new OwnerCommands(conns.client, telegram, conns.db),
  });
  const owner: InboundSender = { telegramId: config.ownerTelegramId, firstName: 'Owner' };
  const names = new Map<number, string>([[owner.telegramId, 'Owner']]);
  let persona = owner;
  // Message ids must be unique per chat across runs of the simulator.
  let nextMessageId = Date.now() * 1000;
  const outbox: InboundMessage[] = [];

  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const window = new ChatWindow(rl);
  const usePrompt = () => rl.setPrompt(`${names.get(persona.telegramId) ?? persona.telegramId}> `);
  telegram.on('message', (m) => window.print(`[assistant → ${names.get(m.chatId) ?? m.chatId}] ${m.text}`));

  const send = async (message: InboundMessage) => {
    if (!watch.isReachable) {
      outbox.push(message);
      window.print('(kept: it is sent when Jobs is reachable again)');
      return;
    }
    try {
      const outcome = await gateway.receive(message);
      if (outcome === 'ignored-blocked') window.print('(this contact is blocked: the message was ignored)');
    } catch (err) {
      log.error('A message could not be handed to the assistant', { error: err });
      if (await isListening(target.host, target.port)) {
        window.print(`(not sent: something went wrong; details in ${logFile})`);
      } else {
        watch.markLost();
        outbox.push(message);
        window.print('(kept: it is sent when Jobs is reachable again)');
      }
    }
  };

  watch.on('lost', () => window.print(`Jobs is not reachable at ${target.address}: reconnecting…`));
  watch.on('back', () => {
    void (async () => {
      // The port answers before the server does: wait until the namespace can be used.
      await untilServing(conns, config.temporalNamespace);
      window.print('Reconnected.');
      await replies.start().catch((err: unknown) => log.warn('Reply worker not restarted yet', { error: err }));
      for (let message = outbox.shift(); message; message = outbox.shift()) await send(message);
    })();
  });

  try {
    await replies.start();
    watch.start();
    usePrompt();
    window.print(`Connected to Jobs (Temporal at ${target.address}). You are the owner. Logs: ${logFile}\n${HELP}`);
    for await (const line of rl) {
      if (line.trim() === '/quit') break;
      await window.handle(async () => {
        if (line.startsWith('/as ')) {
          const next = parsePersona(line.slice(4), config.ownerTelegramId);
          if (typeof next === 'string') return window.print(next);
          persona = next;
          names.set(next.telegramId, next.telegramId === owner.telegramId ? 'Owner' : (next.firstName ?? 'Contact'));
          usePrompt();
          window.print(`Now talking as ${names.get(next.telegramId)} (id ${next.telegramId}).`);
        } else if (line.trim() === '/?') window.print(HELP);
        else if (line.trim()) await send({ from: persona, messageId: ++nextMessageId, text: line });
      });
    }
  } finally {
    rl.close();
    watch.stop();
    if (outbox.length) process.stdout.write(`${outbox.length} message(s) typed while Jobs was away were not sent.\n`);
    await replies.stop();
    await conns.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) runEntrypoint(run);
