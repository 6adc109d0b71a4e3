// A worker process killed in the middle of a turn (Claude still thinking): after a new
// worker starts, the turn completes and the person gets exactly one reply.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { Worker } from '@temporalio/worker';
import { createTelegramActivities } from '../gateway/transport.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

afterAll(async () => {
  await stack?.teardown();
});

/** The real `npm run worker` entry point, as its own process. */
function startWorkerProcess(): ChildProcess {
  const { config } = stack;
  return spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'worker', 'main.ts')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OWNER_TELEGRAM_ID: String(config.ownerTelegramId),
      ANTHROPIC_API_KEY: config.anthropicApiKey,
      ANTHROPIC_BASE_URL: config.anthropicBaseUrl,
      DATABASE_URL: config.databaseUrl,
      TEMPORAL_ADDRESS: stack.env.address,
      TASK_QUEUE: config.taskQueue,
      TELEGRAM_TASK_QUEUE: config.telegramTaskQueue,
      TEMPORAL_PAYLOAD_KEY: config.temporalPayloadKey,
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

it('delivers the reply exactly once after the worker is killed mid-turn', async () => {
  const lena = stack.newContact('Lena');
  // The first call never returns: the worker dies while Claude is "thinking".
  stack.claude.script = (req, index) => (index === 0 ? { hang: true } : say(`Answer to: ${lastUserTexts(req)[0]}`));
  const telegramWorker = await Worker.create({
    connection: stack.env.nativeConnection,
    taskQueue: stack.config.telegramTaskQueue,
    dataConverter: stack.dataConverter,
    activities: createTelegramActivities(stack.telegram),
  });

  await telegramWorker.runUntil(async () => {
    const child = startWorkerProcess();
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await stack.send(lena, 'What time is the meeting?');
      await stack.claude.waitForRequests(1);
      child.kill('SIGKILL');
      await exited;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    expect(stack.telegram.messagesTo(lena.telegramId)).toHaveLength(0);

    const worker = await stack.mainWorker();
    await worker.runUntil(async () => {
      const [reply] = await stack.telegram.waitForMessages(lena.telegramId, 1);
      expect(reply!.text).toBe('Answer to: What time is the meeting?');
      // Another message proves the session carries on, and gives a duplicate time to show up.
      await stack.send(lena, 'Thanks');
      await stack.telegram.waitForMessages(lena.telegramId, 2);
    });
  });
  expect(stack.telegram.messagesTo(lena.telegramId).map((m) => m.text)).toEqual([
    'Answer to: What time is the meeting?',
    'Answer to: Thanks',
  ]);
  // The interrupted call was asked again by the new worker.
  expect(stack.claude.requests.filter((r) => lastUserTexts(r)[0] === 'What time is the meeting?')).toHaveLength(2);
});
