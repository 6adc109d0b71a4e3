// The real system, assembled for a test file: a Temporal dev server, the test
// database, the scripted Claude, the main worker and a `telegram` task queue served by
// the simulated Telegram, with the gateway core in front.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/paths.ts';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { LOCAL_MODEL } from '../../activities/memory/local-embeddings.ts';
import { loadConfig } from '../../infra/config.ts';
import type { Config } from '../../infra/config.ts';
import { createDb } from '../../infra/db.ts';
import { createDataConverter, newPayloadKey } from '../../infra/payload-keys.ts';
import type { DataConverter } from '@temporalio/common';
import { ensureSearchAttributes } from '../../worker/search-attributes.ts';
import type { Db } from '../../infra/db.ts';
import { SessionClient } from '../../clients/sessions.ts';
import { GatewayCore } from '../../gateway/core.ts';
import type { InboundSender } from '../../gateway/core.ts';
import { SimulatedTelegram } from '../../gateway/simulated-telegram.ts';
import { createTelegramActivities } from '../../gateway/transport.ts';
import { createClaudeClient } from '../../worker/claude-client.ts';
import { createMainWorker } from '../../worker/main-worker.ts';
import { ScriptedClaude } from './scripted-claude.ts';
import type { TelegramActivities } from '../../contracts/telegram.ts';

let runtimeInstalled = false;

export interface TestStack {
  env: TestWorkflowEnvironment;
  config: Config;
  /** Encrypts payloads with the stack's key, as every client and worker of the assistant does. */
  dataConverter: DataConverter;
  db: Db;
  claude: ScriptedClaude;
  telegram: SimulatedTelegram;
  gateway: GatewayCore;
  sessions: SessionClient;
  owner: InboundSender;
  /**
   * Runs the main worker and the telegram-queue worker until `fn` settles. The telegram
   * queue is served by the simulated Telegram unless other activities are given.
   */
  run<T>(fn: () => Promise<T>, telegramActivities?: TelegramActivities): Promise<T>;
  mainWorker(): Promise<Worker>;
  /** A unique person for one test. */
  newContact(firstName: string): InboundSender;
  /** Sends a message as `from` through the gateway, with a fresh message id. */
  send(from: InboundSender, text: string): Promise<void>;
  teardown(): Promise<void>;
}

let messageIds = Date.now();
let contactIds = 7_000_000_000 + Math.floor(Math.random() * 1_000_000_000);

export interface StackOptions {
  /** Temporal's time-skipping test server instead of the dev server, for days-long timers. */
  timeSkipping?: boolean;
}

/**
 * A Temporal server for one test file. The SDK gives a server 5 s to open its port (a
 * fixed limit in sdk-core); on a loaded 2-core machine a start can take longer, so a
 * start that timed out is tried again rather than failing the whole file.
 */
async function startTemporal(timeSkipping: boolean, dataConverter: DataConverter): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return timeSkipping
        ? await TestWorkflowEnvironment.createTimeSkipping({
            server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
            client: { dataConverter },
          })
        : await TestWorkflowEnvironment.createLocal({
            server: {
              executable: { type: 'existing-path', path: inject('temporalCliPath') },
              extraArgs: ['--log-level', 'error'],
            },
            client: { dataConverter },
          });
    } catch (err) {
      if (attempt >= 4 || !String(err).includes('did not start within')) throw err;
    }
  }
}

export async function createTestStack(
  env: Record<string, string> = {},
  options: StackOptions = {},
): Promise<TestStack> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  // One payload key per test file, like a fresh install's key file.
  const payloadKey = env.TEMPORAL_PAYLOAD_KEY ?? newPayloadKey();
  const dataConverter = createDataConverter({
    dataDir: '',
    temporalPayloadKey: payloadKey,
    temporalPayloadOldKeys: [],
  });
  const temporal = await startTemporal(options.timeSkipping ?? false, dataConverter);
  // The time-skipping server has no operator service: it runs without custom search attributes.
  if (!options.timeSkipping) await ensureSearchAttributes(temporal.connection, 'default');
  const claude = new ScriptedClaude();
  const baseUrl = await claude.start();
  const ownerTelegramId = ++contactIds;
  mkdirSync(join(REPO_ROOT, 'tests', '.tmp'), { recursive: true });
  const suffix = randomUUID().slice(0, 8);
  const config = loadConfig({
    OWNER_TELEGRAM_ID: String(ownerTelegramId),
    ANTHROPIC_API_KEY: 'sk-ant-test-key-never-logged',
    ANTHROPIC_BASE_URL: baseUrl,
    DATABASE_URL: inject('databaseUrl'),
    TASK_QUEUE: `jobs-${suffix}`,
    TELEGRAM_TASK_QUEUE: `telegram-${suffix}`,
    LOG_LEVEL: 'error',
    // A workspace of its own (files, MEMORY.md) for each test file.
    DATA_DIR: mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'data-')),
    // Memory embeds with the default model, through the run's one shared server.
    EMBEDDINGS_BASE_URL: inject('embeddingsUrl'),
    EMBEDDINGS_MODEL: LOCAL_MODEL,
    TEMPORAL_PAYLOAD_KEY: payloadKey,
    ...env,
  });
  const db = createDb(config.databaseUrl);
  const telegram = new SimulatedTelegram();
  const sessions = new SessionClient(temporal.client, config);
  const gateway = new GatewayCore({ db, sessions, config });
  const owner: InboundSender = { telegramId: ownerTelegramId, firstName: 'Olga', username: `olga_${suffix}` };

  const mainWorker = () =>
    createMainWorker({
      connection: temporal.nativeConnection,
      client: temporal.client,
      config,
      db,
      anthropic: createClaudeClient(config),
      workflowBundle: { codePath: inject('workflowBundlePath') },
      // Each test runs a fresh worker: do not wait long for the previous one's sticky queue.
      // The time-skipping server never moves a task off a dead worker's sticky queue:
      // without a workflow cache there is no sticky queue, so fresh workers take over.
      tuning: options.timeSkipping ? { maxCachedWorkflows: 0 } : { stickyQueueScheduleToStartTimeout: '500ms' },
      searchAttributes: !options.timeSkipping,
    });

  return {
    env: temporal,
    config,
    dataConverter,
    db,
    claude,
    telegram,
    gateway,
    sessions,
    owner,
    mainWorker,
    async run(fn, telegramActivities) {
      const main = await mainWorker();
      const tg = await Worker.create({
        connection: temporal.nativeConnection,
        taskQueue: config.telegramTaskQueue,
        dataConverter,
        activities: telegramActivities ?? createTelegramActivities(telegram),
      });
      return main.runUntil(tg.runUntil(fn));
    },
    newContact(firstName) {
      const telegramId = ++contactIds;
      // Unique per person, also when a test makes two people with the same first name.
      return { telegramId, firstName, username: `${firstName.toLowerCase()}_${suffix}_${telegramId % 100_000}` };
    },
    async send(from, text) {
      await gateway.receive({ from, messageId: ++messageIds, text });
    },
    async teardown() {
      await claude.stop();
      // A request the real API would have refused means the code under test is wrong,
      // even where the test's own assertions passed.
      if (claude.rejected.length > 0) {
        await db.$disconnect();
        await temporal.teardown();
        throw new Error(
          `The Messages API would have refused ${claude.rejected.length} request(s): ${claude.rejected
            .map((r) => `#${r.index} ${r.error.message}`)
            .join('; ')}`,
        );
      }
      await db.$disconnect();
      await temporal.teardown();
    },
  };
}
