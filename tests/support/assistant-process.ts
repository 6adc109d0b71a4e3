// `npm start`'s entry point (worker/run-assistant.ts) as its own process, on a given
// Node.js binary, with its own embedded Temporal dev server on free ports, its own
// database (created and migrated by the process itself) and data folder, and Claude
// played by a scripted Messages API in the test process. The test plays Telegram: it
// serves the `telegram` task queue with the simulated Telegram and sends through the
// gateway core, as `npm run chat` does.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../common/config.ts';
import type { Config } from '../../common/config.ts';
import { createDb } from '../../common/db.ts';
import type { Db } from '../../common/db.ts';
import { REPO_ROOT } from '../../common/paths.ts';
import { SessionRouter } from '../../common/session-router.ts';
import { GatewayCore } from '../../gateway/core.ts';
import type { InboundSender } from '../../gateway/core.ts';
import { SimulatedTelegram } from '../../gateway/simulated-telegram.ts';
import { createTelegramActivities } from '../../gateway/transport.ts';
import { ScriptedClaude } from './scripted-claude.ts';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface AssistantEnvironment {
  /** What the assistant process is started with (also what `npm run chat` needs to reach it). */
  env: Record<string, string>;
  config: Config;
  claude: ScriptedClaude;
  /** Drops the database; the processes must be stopped first. */
  drop(): Promise<void>;
}

/** Ports, database, data folder and scripted Claude for one assistant; nothing is started yet. */
export async function assistantEnvironment(name: string, extra: Record<string, string> = {}) {
  const claude = new ScriptedClaude();
  const baseUrl = await claude.start();
  const databaseUrl = new URL(inject('databaseUrl'));
  const database = `${databaseUrl.pathname.slice(1)}_${name}`;
  databaseUrl.pathname = `/${database}`;
  const [port, uiPort] = [await freePort(), await freePort()];
  const env: Record<string, string> = {
    OWNER_TELEGRAM_ID: '900100200',
    ANTHROPIC_API_KEY: 'sk-ant-test-key-never-logged',
    ANTHROPIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl.toString(),
    TEMPORAL_PORT: String(port),
    TEMPORAL_UI_PORT: String(uiPort),
    TEMPORAL_CLI_PATH: inject('temporalCliPath'),
    DATA_DIR: mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', `data-${name}-`)),
    HEARTBEAT_INTERVAL_MINUTES: '0',
    MEMORY_RECALL_TOKENS: '0',
    ...extra,
  };
  return {
    env,
    config: loadConfig(env),
    claude,
    async drop() {
      await claude.stop();
      const admin = new URL(databaseUrl);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
    },
  } satisfies AssistantEnvironment;
}

export interface AssistantProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves when `text` appears in the output; rejects if the process exits first. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Ctrl-C, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/** Spawns a command in the repository with only the given environment (plus PATH and HOME). */
export function startProcess(command: string, args: string[], env: Record<string, string>): AssistantProcess {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', () => listeners.forEach((l) => l()));
  return {
    child,
    output: () => output,
    waitFor(text, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
        const timer = setTimeout(
          () => done(new Error(`not seen within ${timeoutMs} ms: ${text}\n${output}`)),
          timeoutMs,
        );
        const check = () => {
          if (found()) done();
          else if (child.exitCode !== null || child.signalCode !== null)
            done(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${text}:\n${output}`));
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** `npm start`'s entry point on `node`, as the scripts run it. */
export function startAssistant(node: string, env: Record<string, string>): AssistantProcess {
  return startProcess(node, ['--import', 'tsx', join(REPO_ROOT, 'worker', 'run-assistant.ts')], env);
}

/** The test's side of a running assistant: Telegram's part (gateway core in, simulated Telegram out). */
export interface TelegramSide {
  db: Db;
  client: Client;
  telegram: SimulatedTelegram;
  send(from: InboundSender, text: string): Promise<void>;
  close(): Promise<void>;
}

let messageIds = Date.now();

export async function connectTelegramSide(config: Config): Promise<TelegramSide> {
  try {
    // The test's own worker logs errors only (it has no workflows, which the SDK notes).
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    // Already installed in this test file.
  }
  const address = `127.0.0.1:${config.temporalPort}`;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: config.temporalNamespace });
  const db = createDb(config.databaseUrl);
  const telegram = new SimulatedTelegram();
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporalNamespace,
    taskQueue: config.telegramTaskQueue,
    activities: createTelegramActivities(telegram),
  });
  const running = worker.run();
  const gateway = new GatewayCore({ db, router: new SessionRouter(client, config), config });
  return {
    db,
    client,
    telegram,
    async send(from, text) {
      await gateway.receive({ from, messageId: ++messageIds, text });
    },
    async close() {
      worker.shutdown();
      await running;
      await db.$disconnect();
      await nativeConnection.close();
      await connection.close();
    },
  };
}
