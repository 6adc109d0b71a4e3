// Where tools execute, and where the role split is enforced: whatever the model asked
// for, a call outside the caller's role is refused, recorded, and answered as a refusal.
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { nameOf } from '../person-name.ts';
import { displayNameOf, roleOf } from '../../pure/people.ts';
import type { ExecuteToolInput, ExecuteToolResult, NoticeInput, SessionActivities } from '../../contracts/session.ts';
import type { McpConnections } from '../mcp/connections.ts';
import type { MemoryService } from '../memory/memory-service.ts';
import type { ReminderControl } from '../../clients/reminder-scheduler.ts';
import type { SessionPerson } from '../../clients/sessions.ts';
import { callMcpTool, isMcpToolName } from '../mcp/mcp-tools.ts';
import { assessOwnerCall, UNKNOWN_TURN } from './privilege.ts';
import { findTool } from './registry.ts';
import { NeedsClarification, ToolRefusal } from './types.ts';
import type { NegotiationControl, ToolCaller, ToolConfig } from './types.ts';

export interface ToolDeps {
  db: Db;
  config: ToolConfig;
  negotiations: NegotiationControl;
  mcp: McpConnections;
  notifyOwner(ownerName: string, notice: NoticeInput): Promise<void>;
  notifyPerson(person: SessionPerson, notice: NoticeInput): Promise<void>;
  reminders: ReminderControl;
  memory: MemoryService;
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
}: ToolDeps) {
  async function audit(
    caller: ToolCaller,
    name: string,
    input: unknown,
    outcome: 'ok' | 'refused' | 'error',
    detail?: string,
  ) {
    await db.toolCall.create({
      data: {
        telegramId: BigInt(caller.telegramId),
        role: caller.role,
        tool: name.slice(0, 200),
        input: withoutSecrets(input),
        outcome,
        detail,
      },
    });
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
    async executeTool(call: ExecuteToolInput): Promise<ExecuteToolResult> {
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
          const actionId = `${call.sessionId}/${call.toolUseId}`;
          log.warn('Tool call awaits the owner', { tool: call.name, reason: verdict.why });
          await audit(caller, call.name, call.input, 'refused', `awaiting the owner's confirmation: ${verdict.why}`);
          return {
            content:
              `Not done: ${verdict.why}. The owner is being asked to confirm exactly this, in plain words: "${summary}". ` +
              'Do not call it again; tell the owner in one short sentence that it waits for their "yes".',
            isError: true,
            confirmation: { actionId, summary },
          };
        }
      }
      if (isMcp) {
        const outcome = await callMcpTool(db, mcp, call.name, call.input, MAX_TOOL_RESULT_CHARS);
        await audit(caller, call.name, call.input, outcome.isError ? 'error' : 'ok');
        return { ...outcome, untrusted: true };
      }
      if (!tool) return refuse(caller, call, 'no such tool', notAvailable);

      const parsed = tool.definition.input.safeParse(call.input);
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
            callId: `${call.sessionId}/${call.toolUseId}`,
            notifyOwner: async (notice) => {
              await notifyOwner(await nameOf(db, config.ownerTelegramId, 'Owner'), notice);
            },
            notifyPerson,
            reminders,
            memory,
          },
          parsed.data,
        );
        await audit(caller, call.name, call.input, 'ok');
        return {
          content: capped(content),
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
    },
  } satisfies Pick<SessionActivities, 'executeTool'>;
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
