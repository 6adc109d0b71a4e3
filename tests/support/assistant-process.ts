// `npm start`'s entry point (worker/run-assistant.ts) as its own process, on a given
// Node.js binary, with its own embedded Temporal dev server on free ports, its own
// database (created and migrated by the process itself) and data folder, and Claude
// played by a scripted Messages API in the test process. The test plays Telegram: it
// serves the `telegram` task queue with the simulated Telegram and sends through the
// gateway core, as `npm run chat` does.
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../infra/config.ts';
import type { Config } from '../../infra/config.ts';
import { createDb } from '../../infra/db.ts';
import type { Db } from '../../infra/db.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { createDataConverter } from '../../infra/payload-keys.ts';
import { SessionClient } from '../../clients/sessions.ts';
import { GatewayCore } from '../../gateway/core.ts';
import type { InboundSender } from '../../gateway/core.ts';
import { SimulatedTelegram } from '../../gateway/simulated-telegram.ts';
import { createTelegramActivities } from '../../gateway/transport.ts';
import { blankDocumentedVariables, freePort, startProcess } from './processes.ts';
import type { RunningProcess } from './processes.ts';
import { ScriptedClaude } from './scripted-claude.ts';

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
    ...blankDocumentedVariables(),
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

/** `npm start` itself, as a person types it. */
export function startNpmStart(env: Record<string, string>): RunningProcess {
  return startProcess('npm', ['start'], env);
}

/** `npm start`'s entry point on `node`, as the scripts run it. */
export function startAssistant(node: string, env: Record<string, string>): RunningProcess {
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
  const dataConverter = createDataConverter(config);
  const client = new Client({ connection, namespace: config.temporalNamespace, dataConverter });
  const db = createDb(config.databaseUrl);
  const telegram = new SimulatedTelegram();
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: config.temporalNamespace,
    taskQueue: config.telegramTaskQueue,
    dataConverter,
    activities: createTelegramActivities(telegram),
  });
  const running = worker.run();
  const gateway = new GatewayCore({ db, sessions: new SessionClient(client, config), config });
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
