// What every benchmark stands on: an embedded Temporal dev server, the scripted Claude
// (zero latency), the bench database, connections, the simulated Telegram serving the
// telegram task queue through the gateway core — and one place that tears it all down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../infra/config.ts';
import type { Config } from '../infra/config.ts';
import { prepareDatabase } from '../infra/database-setup.ts';
import { createDb } from '../infra/db.ts';
import { createDataConverter } from '../infra/payload-keys.ts';
import type { Db } from '../infra/db.ts';
import { ensureSearchAttributes } from '../worker/search-attributes.ts';
import { NegotiationClient } from '../clients/negotiations.ts';
import { SessionClient } from '../clients/sessions.ts';
import { embeddedTemporalDbFile, findTemporalCli, startEmbeddedTemporal } from '../infra/temporal.ts';
import { GatewayCore } from '../gateway/core.ts';
import { SimulatedTelegram } from '../gateway/simulated-telegram.ts';
import { ScriptedClaude } from '../tests/support/scripted-claude.ts';
import type { ClaudeScript } from '../tests/support/scripted-claude.ts';

export interface BenchEnvironment {
  /** The environment a worker process needs to join this benchmark. */
  env: Record<string, string>;
  config: Config;
  db: Db;
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  sessions: SessionClient;
  negotiations: NegotiationClient;
  gateway: GatewayCore;
  telegram: SimulatedTelegram;
  /** The embedded server's SQLite file (when persisted). */
  temporalDbFile: string;
  close(): Promise<void>;
}

export async function startBench(opts: {
  port: number;
  script: ClaudeScript;
  persist?: boolean;
  env?: Record<string, string>;
  /** Passed to the embedded server (see EmbeddedTemporalOptions). */
  retentionHours?: number;
  dynamicConfig?: Record<string, string>;
}): Promise<BenchEnvironment> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('No Temporal CLI: run `npm test` or `npm start` once to install it.');
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
  const temporal = await startEmbeddedTemporal({
    cliPath: cli,
    dataDir,
    port: opts.port,
    uiPort: opts.port + 1000,
    namespace: 'default',
    persist: opts.persist ?? true,
    ...(opts.retentionHours !== undefined && { retentionHours: opts.retentionHours }),
    ...(opts.dynamicConfig && { dynamicConfig: opts.dynamicConfig }),
  });
  const claude = new ScriptedClaude();
  claude.script = opts.script;
  const baseUrl = await claude.start();
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jobs_bench';
  await prepareDatabase(databaseUrl);
  const env = {
    OWNER_TELEGRAM_ID: '1',
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_LEVEL: 'error',
    // The payload key file too: the bench's worker processes read the same one.
    DATA_DIR: dataDir,
    ...opts.env,
  };
  const config = loadConfig(env);
  const db = createDb(databaseUrl);
  const connection = await Connection.connect({ address: temporal.address });
  await ensureSearchAttributes(connection, 'default');
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection, dataConverter: createDataConverter(config) });
  const sessions = new SessionClient(client, config);
  const telegram = new SimulatedTelegram();
  return {
    env,
    config,
    db,
    connection,
    nativeConnection,
    client,
    sessions,
    negotiations: new NegotiationClient(client, config),
    gateway: new GatewayCore({ db, sessions, config }),
    telegram,
    temporalDbFile: embeddedTemporalDbFile(dataDir),
    async close() {
      await db.$disconnect();
      await nativeConnection.close();
      await connection.close();
      await claude.stop();
      await temporal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile (0–1) of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function runBench(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
