// All activities of the main task queue, built over their dependencies.
import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import type { SessionRouter } from '../clients/session-router.ts';
import type { McpConnections } from './mcp/connections.ts';
import { createClaudeActivities } from './claude.ts';
import { createConversationActivities } from './conversations.ts';
import { createToolActivities } from './tools/execute.ts';
import { createVoiceActivities } from './voice.ts';
import { createReminderActivities } from './reminders.ts';
import { createHeartbeatActivities } from './heartbeat.ts';
import type { MemoryService } from './memory/memory-service.ts';
import type { ReminderControl } from '../clients/reminder-scheduler.ts';
import type { HeartbeatActivities } from '../contracts/heartbeat.ts';
import type { NegotiationActivities } from '../contracts/negotiation.ts';
import type { ReminderActivities } from '../contracts/reminder.ts';
import type { SessionActivities } from '../contracts/session.ts';

export interface ActivityDeps {
  db: Db;
  anthropic: Anthropic;
  config: Config;
  router: SessionRouter;
  /** This worker's connections to the owner's MCP servers. */
  mcp: McpConnections;
  reminders: ReminderControl;
  memory: MemoryService;
}

export function createActivities({ db, anthropic, config, router, mcp, reminders, memory }: ActivityDeps) {
  return {
    ...createClaudeActivities({ db, anthropic, config, mcp, memory }),
    ...createVoiceActivities({ config }),
    ...createConversationActivities({ db, router }),
    ...createToolActivities({
      db,
      config,
      negotiations: router,
      mcp,
      notifyOwner: (ownerName, notice) => router.deliverOwnerNotice(ownerName, notice),
      notifyPerson: (person, notice) => router.deliverNotice(person, notice),
      reminders,
      memory,
    }),
    ...createReminderActivities({ db, router, config }),
    ...createHeartbeatActivities({ db, anthropic, config, router }),
  } satisfies SessionActivities & NegotiationActivities & HeartbeatActivities & ReminderActivities;
}
