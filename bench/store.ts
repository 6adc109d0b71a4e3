// How the embedded Temporal server's SQLite file grows with use, and whether namespace
// retention bounds it. One owner session takes MESSAGES messages through the gateway core
// (each answered by the scripted Claude with a reply of ordinary length), continuing as new
// every BENCH_TURNS_PER_RUN turns; the file is measured as it goes.
//
//   npm run bench:store -- [messages=2000] [minutes=0]
//
// minutes=0 sends as fast as the turns go (growth per message). minutes>60 paces the
// messages over that time with the server's minimum retention (1 hour) and the deletion
// jitter cut to a second, so the last part of the run shows closed runs being deleted and
// the file stopping growing.
import { statSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { say } from '../tests/support/scripted-claude.ts';
import { createClaudeClient } from '../worker/claude-client.ts';
import { createMainWorker } from '../worker/main-worker.ts';
import { runBench, startBench } from './harness.ts';

const MESSAGES = Number(process.argv[2] ?? 2000);
const MINUTES = Number(process.argv[3] ?? 0);
const TURNS_PER_RUN = process.env.BENCH_TURNS_PER_RUN ?? '20';
const RETENTION_HOURS = 1;
// A reply and a message of ordinary length: the model's input carries the last 40 of them.
const REPLY = 'Noted. '.repeat(60).trim();
const message = (i: number) => `Message ${i}: could you remind me about the dentist and the call with Anna? `.repeat(2);

/** The store on disk: the database file and its write-ahead log. */
function storeBytes(file: string): number {
  return [file, `${file}-wal`, `${file}-shm`].reduce((sum, f) => {
    try {
      return sum + statSync(f).size;
    } catch {
      return sum;
    }
  }, 0);
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1);

runBench(async () => {
  const bench = await startBench({
    port: Number(process.env.BENCH_PORT ?? 17633),
    script: () => say(REPLY),
    // A fresh owner each run: the bench database remembers earlier runs' message ids.
    env: {
      SESSION_TURNS_PER_RUN: TURNS_PER_RUN,
      OWNER_TELEGRAM_ID: String(9_100_000_000 + (Date.now() % 1_000_000_000)),
    },
    retentionHours: RETENTION_HOURS,
    dynamicConfig: { 'history.retentionTimerJitterDuration': '"1s"' },
  });
  const { config, db, client, nativeConnection, gateway, telegram, temporalDbFile } = bench;
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
    const owner = { telegramId: config.ownerTelegramId, firstName: 'Owner' };
    const session = client.workflow.getHandle(sessionWorkflowId(owner.telegramId));
    const closedRuns = async () => (await client.workflow.count('ExecutionStatus != "Running"')).count;
    const started = Date.now();
    const baseline = storeBytes(temporalDbFile);
    const samples = Math.min(20, MESSAGES);
    const pace = MINUTES > 0 ? (MINUTES * 60_000) / MESSAGES : 0;
    console.log(
      `store: ${MESSAGES} owner messages, continue-as-new every ${TURNS_PER_RUN} turns, retention ${RETENTION_HOURS} h, ${MINUTES > 0 ? `over ${MINUTES} minutes` : 'as fast as turns go'}`,
    );
    console.log('minute  messages  runs  closed runs kept  SQLite MB  KB/message');
    await main.runUntil(
      tg.runUntil(async () => {
        for (let i = 1; i <= MESSAGES; i++) {
          const reply = telegram.waitForMessages(owner.telegramId, i);
          await gateway.receive({ from: owner, messageId: i, text: message(i) });
          await reply;
          if (i % Math.ceil(MESSAGES / samples) === 0 || i === MESSAGES) {
            const bytes = storeBytes(temporalDbFile);
            const status = await session.query(sessionStatusQuery);
            console.log(
              `${((Date.now() - started) / 60_000).toFixed(1).padStart(6)}  ${String(i).padStart(8)}  ${String(status.runsCompleted).padStart(4)}  ${String(await closedRuns()).padStart(16)}  ${mb(bytes).padStart(9)}  ${((bytes - baseline) / 1024 / i).toFixed(1).padStart(10)}`,
            );
          }
          const due = started + i * pace;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
      }),
    );
  } finally {
    await bench.close();
  }
});
