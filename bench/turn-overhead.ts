// Orchestration overhead per turn: message in (gateway) → reply out (send path), with a
// zero-latency scripted Claude, on the embedded Temporal dev server and real PostgreSQL.
// Prints p50/p99 over TURNS turns, after a warm-up. Usage: npm run bench [-- turns]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../common/config.ts';
import { prepareDatabase } from '../common/database-setup.ts';
import { createDb } from '../common/db.ts';
import { ensureSearchAttributes } from '../common/search-attributes.ts';
import { SessionRouter } from '../common/session-router.ts';
import { findTemporalCli, startEmbeddedTemporal } from '../common/temporal.ts';
import { GatewayCore } from '../gateway/core.ts';
import { SimulatedTelegram } from '../gateway/simulated-telegram.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { ScriptedClaude, say } from '../tests/support/scripted-claude.ts';
import { createClaudeClient } from '../worker/claude-client.ts';
import { createMainWorker } from '../worker/main-worker.ts';

const TURNS = Number(process.argv[2] ?? 200);
const WARMUP = 10;

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('No Temporal CLI: run `npm test` or `npm start` once to install it.');
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
  const temporal = await startEmbeddedTemporal({
    cliPath: cli,
    dataDir,
    port: 17233,
    uiPort: 18233,
    namespace: 'default',
    persist: process.env.BENCH_PERSIST !== '0',
  });
  const claude = new ScriptedClaude();
  claude.script = () => say('ok');
  const baseUrl = await claude.start();
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jobs_bench';
  await prepareDatabase(databaseUrl);
  const config = loadConfig({
    OWNER_TELEGRAM_ID: '1',
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
  });
  const db = createDb(databaseUrl);
  const connection = await Connection.connect({ address: temporal.address });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  await ensureSearchAttributes(connection, 'default');
  const client = new Client({ connection });
  const telegram = new SimulatedTelegram();
  const gateway = new GatewayCore({ db, router: new SessionRouter(client, config), config });
  try {
    const main = await createMainWorker({
      connection: nativeConnection,
      client,
      config,
      db,
      anthropic: createClaudeClient(config),
    });
    const tg = await Worker.create({
      connection: nativeConnection,
      taskQueue: config.telegramTaskQueue,
      activities: createTelegramActivities(telegram),
    });
    const person = { telegramId: 9_000_000_000 + (Date.now() % 1_000_000_000), firstName: 'Bench' };
    const latencies: number[] = [];
    await main.runUntil(
      tg.runUntil(async () => {
        for (let i = 0; i < WARMUP + TURNS; i++) {
          const started = performance.now();
          const reply = telegram.waitForMessages(person.telegramId, i + 1);
          await gateway.receive({ from: person, messageId: i + 1, text: `turn ${i}` });
          await reply;
          if (i >= WARMUP) latencies.push(performance.now() - started);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)]!;
    console.log(`turns: ${latencies.length} (after ${WARMUP} warm-up), zero-latency scripted Claude`);
    console.log(
      `orchestration overhead per turn: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
  } finally {
    await db.$disconnect();
    await nativeConnection.close();
    await connection.close();
    await claude.stop();
    await temporal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
