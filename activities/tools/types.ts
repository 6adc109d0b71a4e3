// What a tool is: a name and description for the model, an input schema (zod, which
// also gives the JSON Schema the model sees), the roles allowed to call it, and a handler.
import type { z } from 'zod';
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import type { Role } from '../../contracts/domain.ts';
import type { NoticeInput } from '../../contracts/session.ts';
import type { MemoryService } from '../memory/memory-service.ts';
import type { ReminderControl } from '../../clients/reminder-scheduler.ts';
import type { NegotiationClient } from '../../clients/negotiations.ts';
import type { SessionPerson } from '../../clients/sessions.ts';
import type { McpConnections } from '../mcp/connections.ts';
import type { LookUpPersonResult } from '../../contracts/look-up-person.ts';
import type { OwnerCalendar } from '../calendar/owner-calendar.ts';

export interface ToolCaller {
  telegramId: number;
  role: Role;
  displayName: string;
}

/** What tools may do with negotiation workflows. */
export type NegotiationControl = Pick<NegotiationClient, 'start' | 'decide' | 'report' | 'cancel' | 'status'> &
  Partial<Pick<NegotiationClient, 'startGroup' | 'reschedule'>>;

export type ToolConfig = Pick<
  Config,
  | 'ownerTelegramId'
  | 'ownerTimeZone'
  | 'negotiationNudgeHours'
  | 'negotiationMaxNudges'
  | 'negotiationDeadlineHours'
  | 'dataDir'
  | 'mcpToolMaxMs'
> &
  Partial<Pick<Config, 'telegramTaskQueue'>>;

export interface ToolContext {
  db: Db;
  config: ToolConfig;
  negotiations: NegotiationControl;
  mcp: McpConnections;
  caller: ToolCaller;
  /** Stable across retries of the same call: use it as an idempotency key for side effects. */
  callId: string;
  notifyOwner(notice: NoticeInput): Promise<void>;
  /** A message in someone's chat without asking the model (a new task for a contact). */
  notifyPerson(person: SessionPerson, notice: NoticeInput): Promise<void>;
  reminders: ReminderControl;
  /** The owner's long-term memory (owner tools only). */
  memory: MemoryService;
  /** Looks up on Telegram (and records) someone named by @username or phone who never wrote. */
  lookUpPerson(handle: string): Promise<LookUpPersonResult>;
  /** The owner's calendar, when one is configured (CALDAV_URL). */
  calendar?: OwnerCalendar;
}

export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  roles: readonly Role[];
  /** Usable by a contact only while a conversation task with them is active (it is always offered, and refuses otherwise). */
  needsActiveNegotiation?: boolean;
  input: S;
  run(ctx: ToolContext, input: z.infer<S>): Promise<string>;
}

/** Thrown by a handler when the call is not allowed on this data (e.g. another person's task). */
export class ToolRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolRefusal';
  }
}

export function defineTool<S extends z.ZodObject>(tool: ToolDefinition<S>): ToolDefinition<S> {
  return tool;
}

/** Thrown by a handler that cannot act without the owner's word (e.g. several people match): the model asks. */
export class NeedsClarification extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NeedsClarification';
  }
}
