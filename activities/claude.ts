// The Claude call of one agent step. Role, prompt and tool list are decided here from
// configuration and the database, never taken from the workflow's word for it.
import Anthropic from '@anthropic-ai/sdk';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { FailureTypes } from '../contracts/domain.ts';
import { addUsage, ZERO_USAGE } from '../contracts/domain.ts';
import type { ChatMessage, ContentBlock, TokenUsage } from '../contracts/domain.ts';
import type { ClaudeStepInput, ClaudeStepOutput, SessionActivities } from '../contracts/session.ts';
import { log } from '../infra/logger.ts';
import { displayNameOf, roleOf } from '../pure/people.ts';
import { judgeReply, joinContinuation, prefillMessage } from '../pure/claude-reply.ts';
import { EPHEMERAL, layOutMessages, stableToolOrder } from '../pure/prompt-layout.ts';
import { contactTurnContext, externalSystemPrompt, ownerSystemPrompt, ownerTurnContext } from './prompts.ts';
import { formatSpanInZones } from '../pure/time-zones.ts';
import { ACTIVE_STATUSES } from '../contracts/negotiation.ts';
import type { MeetingTerms } from '../contracts/negotiation.ts';
import type { McpConnections } from './mcp/connections.ts';
import { mcpToolsForClaude } from './mcp/mcp-tools.ts';
import type { MemoryService } from './memory/memory-service.ts';
import { rowIdFor } from './tools/call-ids.ts';
import { toolsForRole } from './tools/registry.ts';
import { toApiMessages } from './tool-result-images.ts';
import type { ToolSecrets } from './secrets/tool-secrets.ts';

export interface ClaudeDeps {
  anthropic: Anthropic;
  db: Db;
  mcp: McpConnections;
  config: Pick<
    Config,
    'ownerTelegramId' | 'ownerTimeZone' | 'claudeModel' | 'claudeMaxTokens' | 'memoryRecallTokens' | 'dataDir'
  >;
  memory: MemoryService;
  secrets: ToolSecrets;
}

const HEARTBEAT_EVERY_MS = 2000;

/** The prompt of one call: a stable system text (cached) and the facts of this turn (after the cache). */
interface TurnPrompt {
  system: string;
  turnContext: string[];
}

export function createClaudeActivities({ anthropic, db, config, mcp, memory, secrets }: ClaudeDeps) {
  async function prompt(telegramId: number): Promise<TurnPrompt> {
    const [owner, person] = await Promise.all([
      db.user.findUnique({ where: { telegramId: BigInt(config.ownerTelegramId) } }),
      db.user.findUnique({ where: { telegramId: BigInt(telegramId) } }),
    ]);
    const ownerName = owner ? displayNameOf(owner, 'the owner') : 'the owner';
    const ownerTimeZone = owner?.timeZone ?? config.ownerTimeZone;
    if (roleOf(telegramId, config.ownerTelegramId) === 'owner') {
      return {
        system: ownerSystemPrompt({ ownerName, ownerTimeZone }),
        turnContext: ownerTurnContext({ today: longDateInZone(new Date(), ownerTimeZone), ownerTimeZone }),
      };
    }
    const contactName = person ? displayNameOf(person, 'this person') : 'this person';
    const negotiations = await activeNegotiationsOf(telegramId, ownerTimeZone, person?.timeZone);
    return {
      system: externalSystemPrompt({ ownerName, contactName }),
      turnContext: contactTurnContext({
        ownerName,
        contactName,
        today: new Date().toISOString().slice(0, 10),
        negotiations,
      }),
    };
  }

  /**
   * The contact's active negotiations, as the contact's session may see them: the
   * brief and the meeting windows only — never the owner's private notes.
   */
  async function activeNegotiationsOf(telegramId: number, ownerZone: string, contactZone: string | null | undefined) {
    const tasks = await db.negotiation.findMany({
      where: {
        OR: [{ contactId: BigInt(telegramId) }, { guests: { some: { contactId: BigInt(telegramId) } } }],
        status: { in: [...ACTIVE_STATUSES] },
      },
      orderBy: { createdAt: 'asc' },
    });
    return tasks.map((task) => {
      const context = task.context as { brief?: string; meeting?: MeetingTerms };
      const windows = context.meeting?.windows
        .map((w) => formatSpanInZones(w.startUtc, w.endUtc, [ownerZone, contactZone ?? ownerZone]))
        .join('; ');
      return {
        id: task.id,
        type: task.type,
        status: task.status,
        brief: context.brief ?? '',
        meeting: context.meeting
          ? `${context.meeting.durationMinutes} minutes${context.meeting.place ? `, ${context.meeting.place}` : ''}; the owner is available: ${windows}`
          : undefined,
      };
    });
  }

  /** Memories for the owner's newest message; a memory problem never costs the turn. */
  async function recall(messages: ChatMessage[]): Promise<string[]> {
    const last = [...messages].reverse().find((m) => m.role === 'user' && m.content.some((b) => b.type === 'text'));
    const text = last?.content
      .filter((b) => b.type === 'text')
      .map((b) => (b as { text: string }).text)
      .join('\n')
      .slice(-2000);
    if (!text) return [];
    try {
      return await memory.recall(text, config.memoryRecallTokens);
    } catch (err) {
      log.warn('Memory recall failed; answering without it', { error: (err as Error).message });
      return [];
    }
  }

  /** One request, laid out for the prompt cache (pure/prompt-layout.ts). */
  async function buildRequest(input: ClaudeStepInput): Promise<Anthropic.MessageCreateParamsNonStreaming> {
    const role = roleOf(input.telegramId, config.ownerTelegramId);
    const turn = await prompt(input.telegramId);
    const tools: Anthropic.Tool[] = toolsForRole(role).map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.jsonSchema,
    }));
    // The owner's MCP servers, as configured now: a change shows from the next call on.
    if (role === 'owner') tools.push(...(await mcpToolsForClaude(db, mcp)));
    const ordered = stableToolOrder(tools);
    const lastTool = ordered.at(-1);
    if (lastTool) ordered[ordered.length - 1] = { ...lastTool, cache_control: EPHEMERAL };
    const turnContext = [...turn.turnContext];
    // The owner's memories relevant to this turn; never for a contact (the role comes
    // from configuration, not from the workflow).
    if (role === 'owner') {
      const recalled = await recall(input.messages);
      if (recalled.length) {
        turnContext.push(
          `From the owner's long-term memory (may be relevant; ids for memory_forget):\n${recalled.join('\n')}`,
        );
      }
    }
    // Secrets the owner once gave a tool are not sent again (activities/secrets/tool-secrets.ts).
    const messages = role === 'owner' ? await secrets.scrub(input.messages) : input.messages;
    return {
      model: config.claudeModel,
      max_tokens: config.claudeMaxTokens,
      system: [{ type: 'text', text: turn.system, cache_control: EPHEMERAL }],
      tools: ordered,
      // Images of tool results are files in the workspace until here (activities/tool-result-images.ts).
      messages: layOutMessages(
        (await toApiMessages(messages, config.dataDir, input.telegramId)) as unknown as ChatMessage[],
        input.summary,
        turnContext,
      ) as Anthropic.MessageParam[],
    };
  }

  async function step(input: ClaudeStepInput, context: Context): Promise<ClaudeStepOutput> {
    const request = await buildRequest(input);
    let usage = ZERO_USAGE;
    const attempts = { emptyRetries: 0, continuations: 0 };
    let sofar: ContentBlock[] = [];
    let prefill: ContentBlock[] | undefined;
    let calls = 0;
    for (;;) {
      const messages = prefill
        ? [
            ...request.messages,
            { role: 'assistant' as const, content: prefillMessage(prefill) as Anthropic.ContentBlockParam[] },
          ]
        : request.messages;
      let message: Anthropic.Message;
      try {
        message = await anthropic.messages.create({ ...request, messages }, { signal: context.cancellationSignal });
      } catch (err) {
        throw asTemporalFailure(err);
      }
      const callUsage = usageOf(message);
      usage = addUsage(usage, callUsage);
      // One row per call, keyed by the activity's identity and the call's place in it: a
      // retried attempt (its first completion lost) does not count the call twice.
      const { workflowExecution: run, activityId } = context.info;
      const id = rowIdFor(
        'llm-usage',
        `${run?.workflowId ?? input.sessionId}/${run?.runId ?? ''}/${activityId}${calls > 0 ? `/${calls}` : ''}`,
      );
      calls += 1;
      await db.llmUsage.upsert({
        where: { id },
        update: {},
        create: {
          id,
          sessionId: input.sessionId,
          telegramId: BigInt(input.telegramId),
          model: message.model,
          ...callUsage,
        },
      });
      const content = keepKnownBlocks(message.content);
      sofar = prefill ? joinContinuation(prefill, content) : content;
      const verdict = judgeReply({ content: sofar, stopReason: message.stop_reason }, attempts);
      if (verdict.kind === 'accept') {
        if (verdict.outcome !== 'answer' && verdict.outcome !== 'tool_calls') {
          log.warn('Claude reply needed handling', { outcome: verdict.outcome, stopReason: message.stop_reason });
        }
        // Secrets in tool calls are sealed away before the answer enters the workflow's history.
        const { content: sealed, redactions } = await secrets.storeFrom(verdict.content, input.messages);
        return {
          content: sealed,
          stopReason: message.stop_reason,
          usage,
          ...(redactions.length ? { redactions } : {}),
        };
      }
      if (verdict.kind === 'retry') {
        attempts.emptyRetries += 1;
        prefill = undefined;
        log.warn('Claude answered with nothing; asking again', { stopReason: message.stop_reason });
      } else {
        attempts.continuations += 1;
        prefill = verdict.prefill;
      }
    }
  }

  return {
    async callClaude(input: ClaudeStepInput): Promise<ClaudeStepOutput> {
      // Heartbeats from the start: listing MCP tools may take a while too.
      const context = Context.current();
      const beat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await step(input, context);
      } finally {
        clearInterval(beat);
      }
    },
  } satisfies Pick<SessionActivities, 'callClaude'>;
}

function usageOf(message: Anthropic.Message): TokenUsage {
  return {
    inputTokens: message.usage.input_tokens,
    outputTokens: message.usage.output_tokens,
    cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
    cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
  };
}

/** "Saturday 21 November 2026": the date in the owner's zone, stable all day (prompt caching). */
function longDateInZone(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(now);
}

/**
 * Only text and tool calls go back into the conversation; other block kinds are not ours
 * to replay. Blank text and oversized inputs are dealt with by judgeReply.
 */
function keepKnownBlocks(blocks: Anthropic.ContentBlock[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const b of blocks) {
    if (b.type === 'text') out.push({ type: 'text', text: b.text });
    else if (b.type === 'tool_use') {
      out.push({ type: 'tool_use', id: b.id, name: b.name, input: (b.input ?? {}) as Record<string, unknown> });
    }
  }
  return out;
}

/**
 * 429, 529, 5xx and network failures are worth retrying (Temporal owns the retries,
 * honouring `retry-after`); any other 4xx means the request itself is wrong.
 */
export function asTemporalFailure(err: unknown): unknown {
  if (err instanceof Anthropic.APIError && !(err instanceof Anthropic.APIConnectionError)) {
    const status = err.status ?? 0;
    if (status === 401 || status === 403) {
      // Nothing in the request can fix this, and retrying only repeats it: the operator must act.
      log.error('Claude did not accept the API key', { status, requestId: err.requestID });
      return ApplicationFailure.create({
        type: FailureTypes.claudeKeyRejected,
        message: `Claude did not accept the API key (HTTP ${status}): check ANTHROPIC_API_KEY.`,
        nonRetryable: true,
      });
    }
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    if (!retryable) {
      log.error('Claude rejected a request', { status, requestId: err.requestID, message: err.message });
      return ApplicationFailure.create({
        type: FailureTypes.claudeRejected,
        message: `Claude answered ${status}: ${err.message}`,
        nonRetryable: true,
      });
    }
    const retryAfterSeconds = Number(err.headers?.get('retry-after'));
    return ApplicationFailure.create({
      type: 'ClaudeUnavailable',
      message: `Claude answered ${status}: ${err.message}`,
      nextRetryDelay:
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined,
    });
  }
  return err;
}
