// All activities of the main task queue, built over their dependencies.
import type Anthropic from '@anthropic-ai/sdk';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import type { NegotiationClient } from '../clients/negotiations.ts';
import type { SessionClient } from '../clients/sessions.ts';
import type { McpConnections } from './mcp/connections.ts';
import { createClaudeActivities } from './claude.ts';
import { createNegotiationActivities } from './negotiations.ts';
import { createToolActivities } from './tools/execute.ts';
import { createVoiceActivities } from './voice.ts';
import { createReminderActivities } from './reminders.ts';
import { createHeartbeatActivities } from './heartbeat.ts';
import { createCalendarActivities } from './calendar/calendar-activities.ts';
import { OwnerCalendar } from './calendar/owner-calendar.ts';
import type { CalendarActivities } from '../contracts/calendar.ts';
import type { MemoryService } from './memory/memory-service.ts';
import { ToolSecrets } from './secrets/tool-secrets.ts';
import type { ReminderControl } from '../clients/reminder-scheduler.ts';
import type { PersonLookupClient } from '../clients/person-lookup.ts';
import type { HeartbeatActivities } from '../contracts/heartbeat.ts';
import type { NegotiationActivities } from '../contracts/negotiation.ts';
import type { ReminderActivities } from '../contracts/reminder.ts';
import type { SessionActivities } from '../contracts/session.ts';

export interface ActivityDeps {
  db: Db;
  anthropic: Anthropic;
  config: Config;
  sessions: SessionClient;
  negotiations: NegotiationClient;
  /** This worker's connections to the owner's MCP servers. */
  mcp: McpConnections;
  reminders: ReminderControl;
  memory: MemoryService;
  /** Looks up people who never wrote, through the gateway (clients/person-lookup.ts). */
  people: PersonLookupClient;
}

export function createActivities(deps: ActivityDeps) {
  const { db, anthropic, config, sessions, negotiations, mcp, reminders, memory, people } = deps;
  // Secrets typed for tools: sealed in the database, never in history or model requests.
  const secrets = new ToolSecrets(db, config);
  const calendar = config.caldav
    ? new OwnerCalendar(config.caldav, {
        workingHours: config.ownerWorkingHours,
        bufferMinutes: config.meetingBufferMinutes,
      })
    : undefined;
  return {
    ...createClaudeActivities({ db, anthropic, config, mcp, memory, secrets }),
    ...createVoiceActivities({ config }),
    ...createNegotiationActivities({ db, sessions }),
    ...createToolActivities({
      db,
      config,
      negotiations,
      mcp,
      notifyOwner: (ownerName, notice) => sessions.deliverOwnerNotice(ownerName, notice),
      notifyPerson: (person, notice) => sessions.deliverNotice(person, notice),
      reminders,
      memory,
      secrets,
      people,
      calendar,
    }),
    ...createCalendarActivities({ calendar }),
    ...createReminderActivities({ db, sessions, config }),
    ...createHeartbeatActivities({ db, anthropic, config, sessions }),
  } satisfies SessionActivities & NegotiationActivities & HeartbeatActivities & ReminderActivities & CalendarActivities;
}
