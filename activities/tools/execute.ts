// Where tools execute, and where the role split is enforced: whatever the model asked
// for, a call outside the caller's role is refused, recorded, and answered as a refusal.
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { nameOf } from '../person-name.ts';
import { displayNameOf, roleOf } from '../../pure/people.ts';
import { storableValue } from '../../pure/text.ts';
import type { ExecuteToolInput, ExecuteToolResult, NoticeInput, SessionActivities } from '../../contracts/session.ts';
import type { McpConnections } from '../mcp/connections.ts';
import type { MemoryService } from '../memory/memory-service.ts';
import type { ToolSecrets } from '../secrets/tool-secrets.ts';
import type { OwnerCalendar } from '../calendar/owner-calendar.ts';
import type { ReminderControl } from '../../clients/reminder-scheduler.ts';
import type { SessionPerson } from '../../clients/sessions.ts';
import { isMcpToolName } from '../mcp/mcp-tools.ts';
import { callMcpTool } from '../mcp/mcp-call.ts';
import { activityLiveness } from '../mcp/activity-liveness.ts';
import { firstResultOf } from './first-result.ts';
import { assessOwnerCall, UNKNOWN_TURN } from './privilege.ts';
import { findTool } from './registry.ts';
import { failureForGood } from './tool-failures.ts';
import { NeedsClarification, ToolRefusal } from './types.ts';
import type { NegotiationControl, ToolCaller, ToolConfig } from './types.ts';
import type { LookUpPersonResult } from '../../contracts/look-up-person.ts';

export interface ToolDeps {
  db: Db;
  config: ToolConfig;
  negotiations: NegotiationControl;
  mcp: McpConnections;
  notifyOwner(ownerName: string, notice: NoticeInput): Promise<void>;
  notifyPerson(person: SessionPerson, notice: NoticeInput): Promise<void>;
  reminders: ReminderControl;
  memory: MemoryService;
  secrets: ToolSecrets;
  /** The owner's calendar, when one is configured. */
  calendar?: OwnerCalendar;
  /** Looks up someone who never wrote (clients/person-lookup.ts); `key` is stable per tool call. */
  people: { lookUp(handle: string, key: string): Promise<LookUpPersonResult> };
}

/** Tool output handed back to the model is capped: it is data, and must not flood the context. */
export const MAX_TOOL_RESULT_CHARS = 20000;

export function createToolActivities({
  db,
  config,
  negotiations,
  mcp,
  notifyOwner,
  notifyPerson,
  reminders,
  memory,
  secrets,
  calendar,
  people,
}: ToolDeps) {
  async function audit(
    caller: ToolCaller,
    name: string,
    input: unknown,
    outcome: 'ok' | 'refused' | 'error',
    detail?: string,
    answered?: { callId: string; result: string },
  ) {
    const data = {
      telegramId: BigInt(caller.telegramId),
      role: caller.role,
      tool: name.slice(0, 200),
      input: withoutSecrets(input),
      outcome,
      detail,
      ...answered,
    };
    // A success is keyed by its call id (its answer is returned to a retry); the rest are appended.
    if (answered) await db.toolCall.upsert({ where: { callId: answered.callId }, create: data, update: {} });
    else await db.toolCall.create({ data });
  }

  async function callerOf(telegramId: number): Promise<ToolCaller> {
    const user = await db.user.findUnique({ where: { telegramId: BigInt(telegramId) } });
    return {
      telegramId,
      role: roleOf(telegramId, config.ownerTelegramId),
      displayName: user ? displayNameOf(user, `id ${telegramId}`) : `id ${telegramId}`,
    };
  }

  /** A refused call: logged, recorded, and answered to the model as a refusal. */
  async function refuse(caller: ToolCaller, call: ExecuteToolInput, reason: string, answer: string) {
    log.warn('Tool call refused', { tool: call.name, telegramId: call.telegramId, role: caller.role, reason });
    await audit(caller, call.name, call.input, 'refused', reason);
    return { content: answer, isError: true };
  }

  return {
    async executeTool(rawCall: ExecuteToolInput): Promise<ExecuteToolResult> {
      // NUL and broken UTF-16 from the model would be refused by PostgreSQL (audit, rows,
      // memory index) and could wedge what stores them: made storable once, here.
      const call = { ...rawCall, input: storableValue(rawCall.input) };
      const callId = `${call.sessionId}/${call.toolUseId}`;
      const first = await firstResultOf(db, callId);
      if (first !== undefined) return { content: first, isError: false, untrusted: carriesOthersWords(call.name) };
      const stopBeating = heartbeatWhileRunning();
      try {
        return await runCall(call, callId);
      } catch (err) {
        throw failureForGood(err) ?? err;
      } finally {
        stopBeating();
      }
    },
  } satisfies Pick<SessionActivities, 'executeTool'>;

  async function runCall(call: ExecuteToolInput, callId: string): Promise<ExecuteToolResult> {
    const caller = await callerOf(call.telegramId);
    const notAvailable = `Refused: the tool "${call.name}" is not available in this conversation.`;
    const isMcp = isMcpToolName(call.name);
    const tool = isMcp ? undefined : findTool(call.name);
    if (isMcp && caller.role !== 'owner') {
      // The owner's external servers: never reachable from a contact's session.
      return refuse(caller, call, `MCP tools are not allowed for role ${caller.role}`, notAvailable);
    }
    if (!isMcp && !tool) return refuse(caller, call, 'no such tool', notAvailable);
    if (tool && !tool.definition.roles.includes(caller.role)) {
      return refuse(caller, call, `not allowed for role ${caller.role}`, notAvailable);
    }
    let about: number | undefined;
    if (caller.role === 'owner') {
      // The privilege policy: outward actions only on the owner's own word (pure/privilege-policy.ts).
      const trust = call.trust ?? UNKNOWN_TURN;
      const assessment = await assessOwnerCall(db, mcp, config.ownerTelegramId, call.name, call.input, trust);
      const { verdict, summary } = assessment;
      about = assessment.about;
      if (verdict.verdict === 'refuse') {
        return refuse(
          caller,
          call,
          `privilege policy: ${verdict.why}`,
          `Refused: ${verdict.why}. Report to the owner what you found and suggest the action; they can ask for it in their own words.`,
        );
      }
      if (verdict.verdict === 'confirm') {
        log.warn('Tool call awaits the owner', { tool: call.name, reason: verdict.why });
        await audit(caller, call.name, call.input, 'refused', `awaiting the owner's confirmation: ${verdict.why}`);
        return {
          content:
            `Not done: ${verdict.why}. The owner is being asked to confirm exactly this, in plain words: "${summary}". ` +
            'Do not call it again; tell the owner in one short sentence that it waits for their "yes".',
          isError: true,
          confirmation: { actionId: callId, summary },
        };
      }
    }
    if (isMcp) {
      // At most once per call id: callMcpTool keeps its own record (started, then the
      // result with its images), so the audit row here keeps no answer.
      const outcome = await callMcpTool(
        {
          db,
          mcp,
          dataDir: config.dataDir,
          maxChars: MAX_TOOL_RESULT_CHARS,
          maxCallMs: config.mcpToolMaxMs,
          ...activityLiveness(),
        },
        call,
      );
      await audit(caller, call.name, call.input, outcome.isError ? 'error' : 'ok');
      return { ...outcome, untrusted: true };
    }
    if (!tool) return refuse(caller, call, 'no such tool', notAvailable);

    // Sealed secrets come back from the database only here, where the tool runs.
    const { input, missing } = await secrets.restore(call.toolUseId, call.name, call.input);
    if (missing.length > 0) {
      await audit(caller, call.name, call.input, 'error', `no stored secret for ${missing.join(', ')}`);
      return {
        content: `The values of ${missing.join(', ')} were not given in this call (only "[secret stored]"): ask the owner to type them again.`,
        isError: true,
      };
    }
    const parsed = tool.definition.input.safeParse(input);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
      await audit(caller, call.name, call.input, 'error', `invalid input: ${detail}`);
      return { content: `Invalid input for ${call.name}: ${detail}`, isError: true };
    }

    try {
      const content = await tool.definition.run(
        {
          db,
          config,
          negotiations,
          mcp,
          caller,
          callId,
          notifyOwner: async (notice) => {
            await notifyOwner(await nameOf(db, config.ownerTelegramId, 'Owner'), notice);
          },
          notifyPerson,
          reminders,
          memory,
          calendar,
          lookUpPerson: (handle) =>
            people.lookUp(handle, createHash('sha256').update(`${callId}/${handle}`).digest('hex').slice(0, 32)),
        },
        parsed.data,
      );
      const result = capped(content);
      await audit(caller, call.name, call.input, 'ok', undefined, { callId, result });
      return {
        content: result,
        isError: false,
        untrusted: carriesOthersWords(call.name),
        ...(about !== undefined && { about }),
      };
    } catch (err) {
      if (err instanceof ToolRefusal) return refuse(caller, call, err.message, `Refused: ${err.message}`);
      if (err instanceof NeedsClarification) {
        await audit(caller, call.name, call.input, 'error', err.message.slice(0, 500));
        return { content: err.message, isError: true };
      }
      throw err;
    }
  }
}

/**
 * Heartbeats while a tool runs (an MCP call may take minutes): a crashed worker's call is
 * retried within the heartbeat timeout, and a slow one is not cut. A no-op outside an activity.
 */
function heartbeatWhileRunning(): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => undefined;
  }
  const timer = setInterval(() => context.heartbeat(), 5_000);
  return () => clearInterval(timer);
}

/**
 * Tools whose output is made by this code from the owner's own input (a reminder set, a note
 * saved) are trusted; everything else may carry other people's words (names, notes, answers,
 * an MCP server's tool list) and is quoted to the model as data.
 */
const OWN_WORDS_OUTPUT = new Set([
  'set_reminder',
  'schedule_recurring',
  'cancel_reminder',
  'memory_save',
  'set_person_timezone',
  'mcp_disable_server',
  'mcp_enable_server',
  'mcp_remove_server',
]);

function carriesOthersWords(name: string): boolean {
  return !OWN_WORDS_OUTPUT.has(name);
}

/** Audit rows keep what was asked, not the credentials in it (env values, header values). */
function withoutSecrets(input: unknown): object {
  const copy = JSON.parse(JSON.stringify(input ?? {})) as Record<string, unknown>;
  for (const key of ['env', 'headers']) {
    const value = copy[key];
    if (value && typeof value === 'object') {
      copy[key] = Object.fromEntries(Object.keys(value).map((k) => [k, '[redacted]']));
    }
  }
  return copy;
}

function capped(text: string): string {
  return text.length <= MAX_TOOL_RESULT_CHARS
    ? text
    : `${text.slice(0, MAX_TOOL_RESULT_CHARS)}\n[output cut at ${MAX_TOOL_RESULT_CHARS} characters]`;
}
