// `npm run chat`: talk to a running assistant from the terminal, as the owner or as any
// contact (a made-up Telegram id and name). Messages take the real gateway path
// (GatewayCore → signal-with-start), and replies arrive through this process serving
// the `telegram` task queue, exactly as the Telegram gateway would serve it.
import { createInterface } from 'node:readline/promises';
import { Worker } from '@temporalio/worker';
import { openConnections } from '../infra/connections.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { SessionClient } from '../clients/sessions.ts';
import { GatewayCore } from './core.ts';
import { OwnerCommands } from './owner-commands.ts';
import type { InboundSender } from './core.ts';
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

async function run(): Promise<void> {
  const config = startup({ claude: false });
  const conns = await openConnections(config, config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`);
  const { address, db, client } = conns;
  const telegram = new SimulatedTelegram();
  const names = new Map<number, string>([[config.ownerTelegramId, 'Owner']]);
  let persona: InboundSender = { telegramId: config.ownerTelegramId, firstName: 'Owner' };
  // Message ids must be unique per chat across runs of the simulator.
  let nextMessageId = Date.now() * 1000;

  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const prompt = () => rl.setPrompt(`${names.get(persona.telegramId) ?? persona.telegramId}> `);
  const print = (line: string) => {
    process.stdout.write(`\r\x1b[K${line}\n`);
    rl.prompt(true);
  };
  telegram.on('message', (m) => print(`[assistant → ${names.get(m.chatId) ?? m.chatId}] ${m.text}`));

  const worker = await Worker.create({
    connection: conns.nativeConnection,
    namespace: config.temporalNamespace,
    taskQueue: config.telegramTaskQueue,
    activities: createTelegramActivities(telegram),
  });
  const workerRun = worker.run();
  try {
    const gateway = new GatewayCore({
      db,
      sessions: new SessionClient(client, config),
      config,
      commands: new OwnerCommands(client, telegram),
    });
    print(`Connected to Temporal at ${address}. You are the owner.\n${HELP}`);
    prompt();
    rl.prompt();
    for await (const line of rl) {
      const text = line;
      if (text.startsWith('/as ')) {
        const next = parsePersona(text.slice(4), config.ownerTelegramId);
        if (typeof next === 'string') print(next);
        else {
          persona = next;
          names.set(
            next.telegramId,
            next.telegramId === config.ownerTelegramId ? 'Owner' : (next.firstName ?? String(next.telegramId)),
          );
          print(`Now talking as ${names.get(next.telegramId)} (id ${next.telegramId}).`);
        }
      } else if (text.trim() === '/?') print(HELP);
      else if (text.trim() === '/quit') break;
      else {
        const outcome = await gateway.receive({ from: persona, messageId: ++nextMessageId, text });
        if (outcome === 'ignored-blocked') print('(this contact is blocked: the message was ignored)');
      }
      prompt();
      rl.prompt();
    }
  } finally {
    rl.close();
    worker.shutdown();
    await workerRun;
    await conns.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) runEntrypoint(run);
