// The worker of the main task queue: every workflow, and every activity that does not
// need the live Telegram connection.
import type Anthropic from '@anthropic-ai/sdk';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { McpConnections } from '../activities/mcp/connections.ts';
import { enabledServers } from '../activities/mcp/mcp-tools.ts';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import type { Connections } from '../infra/connections.ts';
import { ensureSearchAttributes } from './search-attributes.ts';
import { ensureHeartbeat } from './heartbeat-starter.ts';
import { createClaudeClient } from './claude-client.ts';
import { NegotiationClient } from '../clients/negotiations.ts';
import { SessionClient } from '../clients/sessions.ts';
import { createMemoryService } from '../activities/memory/memory-service.ts';
import { ReminderScheduler } from '../clients/reminder-scheduler.ts';
import { PersonLookupClient } from '../clients/person-lookup.ts';
import { cachedWorkflowBundle } from './workflow-bundle.ts';
import { createDataConverter } from '../infra/payload-keys.ts';

export interface MainWorkerOptions {
  connection: NativeConnection;
  client: Client;
  config: Config;
  db: Db;
  anthropic: Anthropic;
  /** A pre-built workflow bundle (tests, benchmarks); by default the cached bundle (rebuilt when the code changed). */
  workflowBundle?: { codePath: string } | { code: string };
  /** Worker tuning for tests and benchmarks (e.g. a short sticky-queue timeout; fault-injecting interceptors). */
  tuning?: Pick<WorkerOptions, 'stickyQueueScheduleToStartTimeout' | 'maxCachedWorkflows' | 'interceptors'>;
  /** False on a server without custom search attributes (the time-skipping test server). */
  searchAttributes?: boolean;
}

export async function createMainWorker({
  connection,
  client,
  config,
  db,
  anthropic,
  workflowBundle,
  tuning,
  searchAttributes = true,
}: MainWorkerOptions) {
  const mcp = new McpConnections({ timeoutMs: config.mcpToolTimeoutMs, maxCallMs: config.mcpToolMaxMs });
  const worker = await Worker.create({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    dataConverter: createDataConverter(config),
    workflowBundle: workflowBundle ?? (await cachedWorkflowBundle()),
    activities: createActivities({
      db,
      anthropic,
      config,
      sessions: new SessionClient(client, config),
      negotiations: new NegotiationClient(client, config, searchAttributes),
      mcp,
      reminders: new ReminderScheduler(client, config),
      memory: createMemoryService(config, db),
      people: new PersonLookupClient(client, config),
    }),
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    ...tuning,
  });
  // The owner's servers start connecting now, so the first turn finds their tools ready.
  mcp.refresh(await enabledServers(db).catch(() => []));
  // However the worker is run (run, runUntil), its MCP connections end with it: HTTP
  // sessions are ended and stdio children stopped, none outlives the worker.
  const run = worker.run.bind(worker);
  worker.run = async () => {
    try {
      return await run();
    } finally {
      await mcp.closeAll();
    }
  };
  return worker;
}

/** The main worker of a running assistant: search attributes registered, Claude client built. */
export async function startMainWorker(
  conns: Connections,
  config: Config,
  workflowBundle?: MainWorkerOptions['workflowBundle'],
) {
  await ensureSearchAttributes(conns.connection, config.temporalNamespace);
  await ensureHeartbeat(conns.client, config);
  return createMainWorker({
    connection: conns.nativeConnection,
    client: conns.client,
    config,
    db: conns.db,
    anthropic: createClaudeClient(config),
    workflowBundle,
  });
}
