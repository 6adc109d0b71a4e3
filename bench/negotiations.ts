// 1,000 concurrent negotiations, each exchanging two messages with its contact (the
// opening question, then the reply to the contact's answer, which thanks them), with a zero-latency
// scripted Claude. The main worker runs as its own process (the real `npm run worker`
// entry) so its peak RSS is its own. Prints completions, wall time, the worker's peak
// RSS and the p99 latency from the contact's answer (signal) to the assistant's reply.
// Usage: npm run bench:negotiations [-- count]   (WORKER_MAX_CACHED_WORKFLOWS is passed on)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { REPO_ROOT } from '../infra/paths.ts';
import { createDataConverter } from '../infra/payload-keys.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { negotiationWorld } from '../tests/support/negotiation-world.ts';
import { percentile, runBench, startBench } from './harness.ts';

const COUNT = Number(process.argv[2] ?? 1000);

/** Peak resident memory of a process so far (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

runBench(async () => {
  const bench = await startBench({
    port: 17243,
    persist: false,
    script: negotiationWorld({ starts: new Map() }),
    env: {
      TASK_QUEUE: 'bench-jobs',
      TELEGRAM_TASK_QUEUE: 'bench-telegram',
      TELEGRAM_SEND_INTERVAL_MS: '0',
      ...(process.env.WORKER_MAX_CACHED_WORKFLOWS && {
        WORKER_MAX_CACHED_WORKFLOWS: process.env.WORKER_MAX_CACHED_WORKFLOWS,
      }),
    },
  });
  const { config, db, negotiations, gateway, telegram, nativeConnection } = bench;
  const worker = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...bench.env },
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
    dataConverter: createDataConverter(config),
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
      // All at once, as the owner's start_conversation tool would start them one by one.
      await Promise.all(
        contacts.map(async (c) => {
          const task = await db.negotiation.create({
            data: {
              ownerId: owner.telegramId,
              contactId: BigInt(c.telegramId),
              type: 'question',
              context: { brief: 'What is your favourite colour?' },
            },
          });
          await negotiations.start({
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
        }),
      );
      // Each contact answers once the question reached them; time the answer to the next reply.
      await Promise.all(
        contacts.map(async (c, i) => {
          await telegram.waitForMessages(c.telegramId, 1);
          const sent = performance.now();
          const reply = telegram.waitForMessages(c.telegramId, 2);
          await gateway.receive({ from: c, messageId: 1, text: `answer colour-${i}` });
          await reply;
          latencies.push(performance.now() - sent);
        }),
      );
    });
    const wall = (performance.now() - started) / 1000;
    const completed = await db.negotiation.count({
      where: { contactId: { gte: BigInt(base), lt: BigInt(base + COUNT) }, status: 'completed' },
    });
    latencies.sort((a, b) => a - b);
    console.log(
      `negotiations: ${COUNT}, completed: ${completed}, messages to contacts: ${telegram.delivered.filter((m) => m.chatId !== 1).length}`,
    );
    console.log(`wall time: ${wall.toFixed(1)} s`);
    console.log(`worker peak RSS: ${peak.toFixed(0)} MiB (workflow cache: ${config.workerMaxCachedWorkflows})`);
    console.log(
      `signal-to-reply latency: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms`,
    );
  } finally {
    clearInterval(sampler);
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await bench.close();
  }
});
