// Orchestration overhead per turn: message in (gateway) → reply out (send path), with a
// zero-latency scripted Claude, on the embedded Temporal dev server and real PostgreSQL.
// Prints p50/p99 over TURNS turns, after a warm-up. Usage: npm run bench [-- turns]
// (BENCH_PERSIST=0 runs the server in memory instead of on SQLite.)
import { Worker } from '@temporalio/worker';
import { createTelegramActivities } from '../gateway/transport.ts';
import { say } from '../tests/support/scripted-claude.ts';
import { createClaudeClient } from '../worker/claude-client.ts';
import { createMainWorker } from '../worker/main-worker.ts';
import { createDataConverter } from '../infra/payload-keys.ts';
import { percentile, runBench, startBench } from './harness.ts';

const TURNS = Number(process.argv[2] ?? 200);
const WARMUP = 10;

runBench(async () => {
  const bench = await startBench({ port: 17233, script: () => say('ok'), persist: process.env.BENCH_PERSIST !== '0' });
  const { config, db, client, nativeConnection, gateway, telegram } = bench;
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
      dataConverter: createDataConverter(config),
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
    console.log(`turns: ${latencies.length} (after ${WARMUP} warm-up), zero-latency scripted Claude`);
    console.log(
      `orchestration overhead per turn: p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
  } finally {
    await bench.close();
  }
});
