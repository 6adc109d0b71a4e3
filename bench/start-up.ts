// How long a new user waits, measured on the real commands as they are typed:
//   - `npm start` the first time on a fresh database (created and migrated), then restarts
//     with nothing to migrate: seconds from the command to "Jobs is running";
//   - `npm run chat` while nothing runs: seconds until it has said so and exited.
// Own ports, database (`jobs_bench_startup` on BENCH_POSTGRES_URL's server) and data folder.
// The machine's load average is printed with the figures: they are wall-clock times.
// Usage: npm run bench:start-up [-- restarts]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { blankDocumentedVariables, freePort, startProcess } from '../tests/support/processes.ts';
import { percentile, runBench } from './harness.ts';

const RESTARTS = Number(process.argv[2] ?? 5);
const SERVER_URL = process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const DATABASE = 'jobs_bench_startup';

async function dropDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin.end();
}

/** Seconds from `npm start` to "Jobs is running"; the assistant is stopped (Ctrl-C) after. */
async function timeStart(env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const assistant = startProcess('npm', ['start'], env);
  try {
    await assistant.waitFor('Jobs is running', 300_000);
    return (performance.now() - started) / 1000;
  } finally {
    await assistant.stop();
  }
}

/** Seconds from `npm run chat` (nothing running) to its exit, and the line it printed. */
async function timeChatRefusal(env: Record<string, string>): Promise<[number, string]> {
  const started = performance.now();
  const chat = startProcess('npm', ['run', '--silent', 'chat'], env);
  const code = await new Promise<number | null>((resolve) => chat.child.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 1) throw new Error(`npm run chat exited ${code}:\n${chat.output()}`);
  return [seconds, chat.output().trim()];
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const summary = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return `median ${percentile(sorted, 0.5).toFixed(2)} s, max ${sorted.at(-1)!.toFixed(2)} s (${xs.map((x) => x.toFixed(2)).join(', ')})`;
};

runBench(async () => {
  const url = new URL(SERVER_URL);
  url.pathname = `/${DATABASE}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-startup-'));
  const env = {
    ...blankDocumentedVariables(),
    OWNER_TELEGRAM_ID: '1',
    ANTHROPIC_API_KEY: 'sk-ant-bench-not-called',
    DATABASE_URL: url.toString(),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DATA_DIR: dataDir,
    HEARTBEAT_INTERVAL_MINUTES: '0',
  };
  console.log(`Load average at the start: ${load()} (${process.env.JOBS_NODE_SOURCE ?? process.version})`);
  try {
    await dropDatabase();
    const first = await timeStart(env);
    console.log(`npm start, first time (creates and migrates the database):  ${first.toFixed(2)} s`);
    const restarts: number[] = [];
    for (let i = 0; i < RESTARTS; i++) restarts.push(await timeStart(env));
    console.log(`npm start, restart with nothing to migrate (${RESTARTS}×):     ${summary(restarts)}`);
    const refusals: number[] = [];
    let line = '';
    for (let i = 0; i < RESTARTS; i++) {
      const [seconds, said] = await timeChatRefusal(env);
      refusals.push(seconds);
      line = said;
    }
    console.log(`npm run chat with nothing running (${RESTARTS}×):              ${summary(refusals)}`);
    console.log(`  it says: ${line}`);
    console.log(`Load average at the end: ${load()}`);
  } finally {
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
