// 1,000 concurrent negotiations, each exchanging three messages with its contact
// (opening question, the contact's answer, the closing thanks), with a zero-latency
// scripted Claude. The main worker runs as its own process (the real `npm run worker`
// entry) so its peak RSS is its own. Prints completions, wall time, the worker's peak
// RSS and the p99 latency from the contact's answer (signal) to the assistant's reply.
// Usage: npm run bench:negotiations [-- count]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../common/config.ts';
import { prepareDatabase } from '../common/database-setup.ts';
import { createDb } from '../common/db.ts';
import { REPO_ROOT } from '../common/paths.ts';
import { ensureSearchAttributes } from '../common/search-attributes.ts';
import { SessionRouter } from '../common/session-router.ts';
import { findTemporalCli, startEmbeddedTemporal } from '../common/temporal.ts';
import { GatewayCore } from '../gateway/core.ts';
import { SimulatedTelegram } from '../gateway/simulated-telegram.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { negotiationWorld } from '../tests/support/negotiation-world.ts';
import { ScriptedClaude } from '../tests/support/scripted-claude.ts';

const COUNT = Number(process.argv[2] ?? 1000);

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function main() {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const cli = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!cli) throw new Error('No Temporal CLI: run `npm test` or `npm start` once to install it.');
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
  const temporal = await startEmbeddedTemporal({
    cliPath: cli,
    dataDir,
    port: 17243,
    uiPort: 18243,
    namespace: 'default',
    persist: false,
  });
  const claude = new ScriptedClaude();
  claude.script = negotiationWorld({ starts: new Map() });
  const baseUrl = await claude.start();
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jobs_bench';
  await prepareDatabase(databaseUrl);
  const env = {
    OWNER_TELEGRAM_ID: '1',
    ANTHROPIC_API_KEY: 'bench',
    ANTHROPIC_BASE_URL: baseUrl,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TASK_QUEUE: 'bench-jobs',
    TELEGRAM_TASK_QUEUE: 'bench-telegram',
    TELEGRAM_SEND_INTERVAL_MS: '0',
    LOG_LEVEL: 'error',
  };
  const config = loadConfig(env);
  const db = createDb(databaseUrl);
  const connection = await Connection.connect({ address: temporal.address });
  await ensureSearchAttributes(connection, 'default');
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const router = new SessionRouter(client, config);
  const gateway = new GatewayCore({ db, router, config });
  const telegram = new SimulatedTelegram();
  const worker = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMiB(worker.pid!));
    } catch {
      // the worker has exited
    }
  }, 250);
  const tg = await Worker.create({
    connection: nativeConnection,
    taskQueue: config.telegramTaskQueue,
    activities: createTelegramActivities(telegram),
    maxConcurrentActivityTaskExecutions: 500,
  });
  try {
    const base = 5_000_000_000 + (Date.now() % 1_000_000) * 1000;
    const owner = await db.user.upsert({
      where: { telegramId: 1n },
      create: { telegramId: 1n, firstName: 'Olga', role: 'owner' },
      update: {},
    });
    const contacts = Array.from({ length: COUNT }, (_, i) => ({ telegramId: base + i, firstName: `Contact${i}` }));
    await db.user.createMany({
      data: contacts.map((c) => ({ telegramId: BigInt(c.telegramId), firstName: c.firstName })),
    });
    const latencies: number[] = [];
    const started = performance.now();
    await tg.runUntil(async () => {
      // Start them all at once (as the owner's start_conversation tool would, one by one).
      const taskIds = await Promise.all(
        contacts.map(async (c) => {
          const task = await db.conversationTask.create({
            data: {
              ownerId: owner.telegramId,
              userId: BigInt(c.telegramId),
              type: 'question',
              context: { brief: 'What is your favourite colour?' },
            },
          });
          await router.startNegotiation({
            taskId: task.id,
            ownerId: 1,
            ownerName: 'Olga',
            ownerTimeZone: 'UTC',
            contactId: c.telegramId,
            contactName: c.firstName,
            contactTimeZone: 'UTC',
            type: 'question',
            brief: 'Ask what their favourite colour is.',
            timing: { nudgeAfterMs: 24 * 3600_000, maxNudges: 2, deadlineMs: 72 * 3600_000 },
          });
          return task.id;
        }),
      );
      // Each contact answers once the question reached them; time their answer to the next reply.
      await Promise.all(
        contacts.map(async (c, i) => {
          await telegram.waitForMessages(c.telegramId, 1);
          const sent = performance.now();
          const reply = telegram.waitForMessages(c.telegramId, 2);
          await gateway.receive({ from: c, messageId: 1, text: `answer colour-${i}` });
          await reply;
          latencies.push(performance.now() - sent);
          await telegram.waitForMessages(c.telegramId, 3);
        }),
      );
      void taskIds;
    });
    const wall = (performance.now() - started) / 1000;
    const completed = await db.conversationTask.count({
      where: { userId: { gte: BigInt(base), lt: BigInt(base + COUNT) }, status: 'completed' },
    });
    latencies.sort((a, b) => a - b);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!;
    console.log(
      `negotiations: ${COUNT}, completed: ${completed}, messages to contacts: ${telegram.delivered.filter((m) => m.chatId !== 1).length}`,
    );
    console.log(`wall time: ${wall.toFixed(1)} s`);
    console.log(`worker peak RSS: ${peak.toFixed(0)} MiB`);
    console.log(`signal-to-reply latency: p50 ${p(0.5).toFixed(0)} ms, p99 ${p(0.99).toFixed(0)} ms`);
  } finally {
    clearInterval(sampler);
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
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
