// The worker of the main task queue: every workflow, and every activity that does not
// need the live Telegram connection.
import type Anthropic from '@anthropic-ai/sdk';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import type { Config } from '../common/config.ts';
import type { Db } from '../common/db.ts';
import { WORKFLOWS_PATH } from '../common/paths.ts';
import { SessionRouter } from '../common/session-router.ts';

export interface MainWorkerOptions {
  connection: NativeConnection;
  client: Client;
  config: Config;
  db: Db;
  anthropic: Anthropic;
  /** A pre-built workflow bundle (tests, benchmarks); by default the workflows are bundled at start. */
  workflowBundle?: { codePath: string };
  /** Worker tuning for tests and benchmarks (e.g. a short sticky-queue timeout). */
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxCachedWorkflows'>;
}

export async function createMainWorker({
  connection,
  client,
  config,
  db,
  anthropic,
  workflowBundle,
  tuning,
}: MainWorkerOptions) {
  return Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({ db, anthropic, config, router: new SessionRouter(client, config) }),
    ...tuning,
  });
}
