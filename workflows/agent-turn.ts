// One turn of a person's assistant: everything queued is taken at once (notices delivered,
// instructions and messages read, voice notes transcribed), then the agent loop runs
// (Claude → tools → Claude …) and the reply goes out through the `telegram` task queue.
// Every send carries an idempotency key made of the session, the turn and the part.
import { ActivityFailure, ApplicationFailure, condition, log, patched, proxyActivities } from '@temporalio/workflow';
import { FailureTypes } from '../contracts/domain.ts';
import type { ChatMessage, ContentBlock, Role } from '../contracts/domain.ts';
import type {
  MessageReceivedInput,
  NoticeInput,
  SentMark,
  SessionActivities,
  SessionSettings,
} from '../contracts/session.ts';
import type { Origin, PendingActionAnswerInput, TurnStart, TurnTrust } from '../contracts/provenance.ts';
import { readConfirmation } from '../pure/owner-intent.ts';
import { whoseWords } from '../pure/provenance.ts';
import type { TelegramActivities } from '../contracts/telegram.ts';
import { Replies } from './replies.ts';
import { TOOL_ACTIVITY_OPTIONS, toolFailureText } from './outage-policies.ts';
import { isBlank } from '../pure/text.ts';
import { cutToolCallResult } from '../pure/claude-reply.ts';
import { estimateTokens, planCut } from '../pure/history-budget.ts';
import { applyRedactions, redactValues, redactedValues } from '../pure/redaction.ts';
import { SECRET_PLACEHOLDER } from '../contracts/domain.ts';
import { arrivedLate, placeInSendingOrder } from '../pure/sending-order.ts';
import {
  instructionText,
  lateMessageText,
  messageText,
  noticeOrigin,
  noticeText,
  pendingActionText,
  savedFileText,
  UNREADABLE_VOICE,
  userTurn,
  voiceTranscriptText,
} from './model-text.ts';
import type { SessionState } from './session-state.ts';

const { callClaude } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '3 minutes',
  // The activity heartbeats while it waits for Claude, so a crashed worker's call is
  // retried within seconds instead of after the full timeout.
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [FailureTypes.claudeRejected, FailureTypes.claudeKeyRejected],
  },
});

// Folding old turns into the summary can wait for a later turn: a short retry, then the
// history is kept in full until the next attempt.
const { summarizeHistory } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumAttempts: 3,
    nonRetryableErrorTypes: [FailureTypes.claudeRejected, FailureTypes.claudeKeyRejected, 'SummaryEmpty'],
  },
});

const { transcribeVoice } = proxyActivities<SessionActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    maximumAttempts: 4,
    nonRetryableErrorTypes: [FailureTypes.voiceUnreadable],
  },
});

const { executeTool } = proxyActivities<SessionActivities>(TOOL_ACTIVITY_OPTIONS);

/**
 * MCP tools may run long while they report progress: the activity heartbeats, and its
 * own limit (MCP_TOOL_MAX_MS, at most 50 minutes) always ends the call before this one
 * ends the activity. Retries ride out outages like other tools', and never run the tool
 * twice (the activity records the call by its id).
 */
const { executeTool: executeMcpTool } = proxyActivities<SessionActivities>({
  ...TOOL_ACTIVITY_OPTIONS,
  startToCloseTimeout: '1 hour',
});
/** Sessions that ran MCP tools under the shared tool proxy keep it on replay. */
const MCP_LONG_CALLS_PATCH = 'mcp-long-tool-calls';
/** While a long MCP call runs: "typing…" this often, and one status message after this long. */
const STILL_WORKING_TYPING = '5 seconds';
const STILL_WORKING_MESSAGE_AFTER_TICKS = 4;

/**
 * Messages are read in sending order (by message id), not signal-arrival order, and an older
 * message arriving after a newer one was answered is read as a late follow-up. Sessions that
 * ran before this read in arrival order; their histories replay that way.
 */
export const MESSAGES_IN_SENDING_ORDER = 'messages-in-sending-order';

/** Outward actions wait for the owner's "yes" (pure/privilege-policy.ts); new commands in running sessions. */
export const OWNER_CONFIRMATION_PATCH = 'owner-confirmation';

/** The history budget of sessions started before SESSION_HISTORY_TOKENS existed. */
const DEFAULT_HISTORY_TOKENS = 8000;

/** Tool rounds allowed in one turn, so a looping model cannot run forever. */
const MAX_TOOL_ROUNDS = 8;

export interface SessionIdentity {
  telegramId: number;
  role: Role;
  settings: SessionSettings;
  /** The workflow id, `session-<telegramId>`: the root of every idempotency key. */
  sessionId: string;
}

/** What one turn took from the inbox. */
interface Gathered {
  messages: MessageReceivedInput[];
  /** What the model reads of each message or instruction; null when nothing was readable. */
  readings: Array<string | null>;
  /** Each reading's message id (undefined for an instruction), to keep readings in sending order. */
  order: Array<number | undefined>;
  /** The newest message answered before this turn: older ones arriving now are late. */
  answeredUpTo: SentMark | undefined;
  instructed: boolean;
  /** The owner's own words in this turn: the only text that may ask for an outward action. */
  ownerWords: string[];
  /** The owner answered a pending action (a tap, or a plain yes/no): the turn is theirs. */
  ownerAnswered: boolean;
  /** Scheduled jobs' instructions in this turn. */
  scheduled: boolean;
}

export class AgentTurns {
  /** Fire-and-forget activities of the current turn ("typing…"), settled before the next one. */
  readonly background: Promise<unknown>[] = [];
  private readonly telegram: TelegramActivities;
  private readonly typing: TelegramActivities;

  constructor(
    private readonly session: SessionIdentity,
    private readonly state: SessionState,
  ) {
    this.telegram = proxyActivities<TelegramActivities>({
      taskQueue: session.settings.telegramTaskQueue,
      startToCloseTimeout: '1 minute',
      retry: {
        initialInterval: '1 second',
        maximumInterval: '30 seconds',
        maximumAttempts: 20,
        nonRetryableErrorTypes: [FailureTypes.chatUnreachable],
      },
    });
    this.typing = proxyActivities<TelegramActivities>({
      taskQueue: session.settings.telegramTaskQueue,
      startToCloseTimeout: '10 seconds',
      retry: { maximumAttempts: 1 },
    });
  }

  /** Runs one turn over everything queued. */
  async run(): Promise<void> {
    const { state } = this;
    const turnKey = `${this.session.sessionId}/turn-${state.startTurn()}`;
    const gathered: Gathered = {
      messages: [],
      readings: [],
      order: [],
      answeredUpTo: state.newestMessage,
      instructed: false,
      ownerWords: [],
      ownerAnswered: false,
      scheduled: false,
    };
    await this.gather(gathered, turnKey);
    if (gathered.messages.length === 0 && !gathered.instructed && !gathered.ownerAnswered) return;

    const turn = userTurn(state.contextLines(), gathered.readings);
    if (!turn) {
      const hadAttachments = gathered.messages.some((m) => (m.attachments ?? []).length > 0);
      // An unreadable voice note was already answered; anything else empty gets a word.
      if (!hadAttachments) await this.send(Replies.emptyMessage, `${turnKey}/empty`);
      return;
    }
    await this.converse(turn, gathered, turnKey);
    await this.askForConfirmation(turnKey);
  }

  /** Takes the inbox: notices go straight out, messages and instructions are read for the model. */
  private async gather(into: Gathered, turnKey: string): Promise<void> {
    const inSendingOrder = patched(MESSAGES_IN_SENDING_ORDER);
    for (const item of this.state.takeInbox({ inSendingOrder })) {
      if (item.kind === 'notice') {
        await this.deliverNotice(item.notice);
        continue;
      }
      if (item.kind === 'instruction') {
        into.readings.push(instructionText(item.instruction));
        into.order.push(undefined);
        into.instructed = true;
        if (item.instruction.kind === 'scheduled-job') into.scheduled = true;
        continue;
      }
      if (item.kind === 'action-answer') {
        const answered = await this.answerPending(item.answer, into, turnKey, 'tap');
        if (answered) {
          into.readings.push(answered);
          into.order.push(undefined);
        }
        continue;
      }
      const m = item.message;
      into.messages.push(m);
      if (m.truncated) {
        await this.send(Replies.truncated(m.originalLength, m.text.length), `${turnKey}/truncated-${m.messageId}`);
      }
      const reading = await this.answerWithMessage(m, await this.readMessage(m, turnKey, into), into, turnKey);
      if (!inSendingOrder) {
        into.readings.push(reading);
        into.order.push(m.messageId);
        continue;
      }
      // One that arrived while Claude was thinking may have been sent before what it read.
      const at = placeInSendingOrder(into.order, m.messageId);
      const late = reading !== null && arrivedLate(m, into.answeredUpTo);
      into.readings.splice(at, 0, late ? lateMessageText(reading) : reading);
      into.order.splice(at, 0, m.messageId);
    }
  }

  /**
   * The owner's next message answers the action waiting for them: a plain yes runs exactly
   * that action; anything else drops it (and is read as usual). Returns what the model reads.
   */
  private async answerWithMessage(
    m: MessageReceivedInput,
    reading: string | null,
    into: Gathered,
    turnKey: string,
  ): Promise<string | null> {
    const pending = this.state.pendingAction;
    if (!pending || this.session.role !== 'owner' || !patched(OWNER_CONFIRMATION_PATCH)) return reading;
    const answer = readConfirmation(m.text);
    const result = await this.answerPending(
      { actionId: pending.actionId, approve: answer === 'yes' },
      into,
      turnKey,
      answer,
    );
    return [reading, result].filter(Boolean).join('\n') || null;
  }

  /** What started this turn: only the owner's own message or tap may lead to outward actions. */
  private startedBy(gathered: Gathered): TurnStart {
    if (this.session.role === 'owner' && (gathered.messages.length > 0 || gathered.ownerAnswered)) return 'owner';
    return gathered.scheduled ? 'scheduled-job' : 'conversation';
  }

  private trust(gathered: Gathered): TurnTrust {
    return {
      startedBy: this.startedBy(gathered),
      ownerWords: gathered.ownerWords.join('\n'),
      untrusted: this.state.untrustedOrigins(),
    };
  }

  /**
   * The owner's answer to the pending action: run it (exactly as asked) on a yes, drop it
   * otherwise. Returns what the model reads about it.
   */
  private async answerPending(
    answer: PendingActionAnswerInput,
    into: Gathered,
    turnKey: string,
    how: 'yes' | 'no' | null | 'tap',
  ): Promise<string | null> {
    const pending = this.state.pendingAction;
    if (!pending || pending.actionId !== answer.actionId) return null;
    this.state.pendingAction = undefined;
    into.ownerAnswered = true;
    if (!answer.approve) return pendingActionText(pending.summary, how === null ? 'dropped' : 'declined');
    const { sessionId, telegramId } = this.session;
    try {
      const result = await executeTool({
        sessionId,
        telegramId,
        toolUseId: `${pending.toolUseId}-confirmed`,
        name: pending.name,
        input: pending.input,
        trust: { ...this.trust(into), startedBy: 'owner', confirmedActionId: pending.actionId },
      });
      // An image in a confirmed action's output is named, not shown (the answer is text).
      const text =
        typeof result.content === 'string'
          ? result.content
          : result.content.map((p) => (p.type === 'text' ? p.text : `[image ${p.file}]`)).join('\n');
      const output = result.untrusted ? this.state.quote(toolOrigin(pending.name), text, 'Tool output') : text;
      log.info("Pending action carried out on the owner's word", { actionId: pending.actionId, turnKey });
      return pendingActionText(pending.summary, result.isError ? 'failed' : 'done', output);
    } catch (err) {
      return pendingActionText(pending.summary, 'failed', describe(err));
    }
  }

  /** After the turn: the action the model asked for that needs the owner, put to them in plain words. */
  private async askForConfirmation(turnKey: string): Promise<void> {
    const pending = this.state.pendingAction;
    if (!pending || pending.askedInTurn !== this.state.turn) return;
    await this.send(Replies.confirmAction(pending.summary, whoseWords(pending.origins)), `${turnKey}/confirm`);
  }

  /** The agent loop: Claude, the tools it asks for, Claude again, until it answers in words. */
  private async converse(firstTurn: ChatMessage, gathered: Gathered, turnKey: string): Promise<void> {
    const { state, session } = this;
    const { sessionId, telegramId } = session;
    let turn = firstTurn;
    let conversation: ChatMessage[] = [...state.history, turn];
    let sideEffects = false;
    for (let round = 0; ; round++) {
      // "typing…" shows while Claude thinks; the answer never waits for it.
      this.background.push(this.typing.sendTyping({ chatId: telegramId }).catch(() => undefined));
      let response;
      try {
        response = await callClaude({
          sessionId,
          telegramId,
          messages: conversation,
          summary: state.summary || undefined,
        });
      } catch (err) {
        await this.claudeFailed(err, turn, turnKey);
        state.clearContext();
        return;
      }
      state.keyRejectionTold = false;
      state.addUsage(response.usage);
      // A secret the owner typed for a tool is now stored: cut it out of the conversation too.
      const redacted = redactedValues(conversation, response.redactions);
      conversation = applyRedactions(conversation, response.redactions, SECRET_PLACEHOLDER);
      turn = conversation[state.history.length] ?? turn;
      // The owner's words travel with each tool call (the privilege policy reads them).
      gathered.ownerWords = gathered.ownerWords.map((w) => redactValues(w, redacted, SECRET_PLACEHOLDER));

      // More messages arrived while Claude was thinking, and nothing has been done yet:
      // think again with all of them, so a burst gets one coherent answer.
      if (!sideEffects && state.hasQueuedMessages()) {
        await this.gather(gathered, turnKey);
        turn = userTurn(state.contextLines(), gathered.readings) ?? turn;
        conversation = [...state.history, turn];
        continue;
      }

      const toolUses = response.content.filter((b) => b.type === 'tool_use');
      if (toolUses.length > 0) {
        if (round + 1 >= MAX_TOOL_ROUNDS) {
          const folding = this.commit(conversation);
          await this.send(Replies.toolBudgetExhausted, `${turnKey}/tool-budget`);
          if (folding) await this.fold();
          break;
        }
        conversation = [...conversation, { role: 'assistant', content: response.content }];
        sideEffects = true;
        const results = await Promise.all(toolUses.map((use) => this.runTool(use, gathered, turnKey)));
        conversation = [...conversation, { role: 'user', content: results }];
        continue;
      }

      conversation = [...conversation, { role: 'assistant', content: response.content }];
      const folding = this.commit(conversation);
      const reply = response.content
        .filter((b) => b.type === 'text')
        .map((b) => b.text)
        .join('\n\n')
        .trim();
      if (reply) await this.send(reply, `${turnKey}/reply`);
      if (folding) await this.fold();
      break;
    }
    state.clearContext();
  }

  /**
   * A Claude call that failed for good. A rejected request may have been caused by these
   * messages: they are not carried on. An outage or a refused API key is not their fault:
   * they are kept, so the next turn still sees them.
   */
  private async claudeFailed(err: unknown, turn: ChatMessage, turnKey: string): Promise<void> {
    const { state, session } = this;
    const keyRejected = isFailureOfType(err, FailureTypes.claudeKeyRejected) && patched('claude-key-rejected-reply');
    const rejected = !keyRejected && isFailureOfType(err, FailureTypes.claudeRejected);
    log.error(rejected ? 'Claude rejected the turn' : 'Claude unavailable for the turn', {
      turn: state.turn,
      error: describe(err),
    });
    if (!rejected) state.commitHistory([...state.history, turn], this.historyLimit());
    if (!keyRejected) {
      await this.send(rejected ? Replies.claudeRejected : Replies.claudeUnavailable, `${turnKey}/failed`);
      return;
    }
    // The owner is told once, until a call succeeds again; a contact only hears that the
    // assistant cannot answer right now (the key is none of their business).
    if (session.role !== 'owner') {
      await this.send(Replies.claudeUnavailable, `${turnKey}/failed`);
    } else if (!state.keyRejectionTold) {
      state.keyRejectionTold = true;
      await this.send(Replies.apiKeyRejected, `${turnKey}/failed`);
    }
  }

  /**
   * Messages kept by count in sessions from before the token budget; since then, all of a
   * turn is kept and the budget is applied by folding (`commit`).
   */
  private historyLimit(): number {
    return patched('history-token-budget') ? Number.POSITIVE_INFINITY : this.session.settings.historyMessages;
  }

  /**
   * Commits a finished turn; true when the history is kept by token budget, so the caller
   * folds it (after the reply is out: the person never waits for the summary).
   */
  private commit(conversation: ChatMessage[]): boolean {
    const limit = this.historyLimit();
    this.state.commitHistory(conversation, limit);
    return limit === Number.POSITIVE_INFINITY;
  }

  /** Cuts the history back to about half its budget; the cut part goes into the running summary. */
  private async fold(): Promise<void> {
    const { state, session } = this;
    const budget = session.settings.historyTokens ?? DEFAULT_HISTORY_TOKENS;
    const plan = planCut(state.history, budget);
    if (!plan) return;
    const before = state.history;
    try {
      const { summary, usage } = await summarizeHistory({
        sessionId: session.sessionId,
        telegramId: session.telegramId,
        previousSummary: state.summary,
        messages: plan.cut,
      });
      state.addUsage(usage);
      // A /reset while the summary was being written wins.
      if (state.history === before) state.foldHistory(summary, plan.kept);
    } catch (err) {
      log.warn('Older turns could not be summarised; the history is kept in full for now', { error: describe(err) });
      // It must not grow without bound: past twice the budget the cut part goes, and the summary says so.
      if (state.history === before && estimateTokens(before) > 2 * budget) {
        const note = `[${plan.cut.length} earlier messages could not be summarised and were left out.]`;
        state.foldHistory(state.summary ? `${state.summary}\n${note}` : note, plan.kept);
      }
    }
  }

  /**
   * One tool call; a failure becomes an error result for the model, never a failed turn.
   * The call carries the turn's trust for the privilege policy; output with others' words is
   * quoted as data; an action the owner must confirm waits as the session's pending action.
   */
  private async runTool(
    use: Extract<ContentBlock, { type: 'tool_use' }>,
    gathered: Gathered,
    turnKey: string,
  ): Promise<ContentBlock> {
    const { sessionId, telegramId } = this.session;
    const trust = this.trust(gathered);
    // An input too large to keep was replaced by a note (pure/claude-reply.ts): never run it.
    const cut = cutToolCallResult(use);
    if (cut !== undefined) return { type: 'tool_result', tool_use_id: use.id, content: cut, is_error: true };
    const longCall = use.name.startsWith('mcp__') && patched(MCP_LONG_CALLS_PATCH);
    try {
      const call = (longCall ? executeMcpTool : executeTool)({
        sessionId,
        telegramId,
        toolUseId: use.id,
        name: use.name,
        input: use.input,
        trust,
      });
      if (longCall) await this.showStillWorking(call, `${turnKey}/still-working-${use.id}`);
      const result = await call;
      let content = result.content;
      if (result.confirmation && patched(OWNER_CONFIRMATION_PATCH)) {
        if (this.state.pendingAction?.askedInTurn === this.state.turn) {
          content =
            "Not done: another action already waits for the owner's confirmation; ask for this one again after they answer.";
        } else {
          this.state.pendingAction = {
            ...result.confirmation,
            toolUseId: use.id,
            name: use.name,
            input: use.input,
            origins: trust.untrusted,
            askedInTurn: this.state.turn,
          };
        }
      } else if (result.untrusted && this.session.role === 'owner') {
        const origin = { ...toolOrigin(use.name), ...(result.about !== undefined && { about: result.about }) };
        // Text is quoted as data; images (MCP tools) pass as they are.
        content =
          typeof content === 'string'
            ? this.state.quote(origin, content, 'Tool output')
            : content.map((part) =>
                part.type === 'text' ? { ...part, text: this.state.quote(origin, part.text, 'Tool output') } : part,
              );
      }
      return { type: 'tool_result', tool_use_id: use.id, content, is_error: result.isError };
    } catch (err) {
      log.warn('Tool call failed', { tool: use.name, error: describe(err) });
      return { type: 'tool_result', tool_use_id: use.id, content: toolFailureText(err), is_error: true };
    }
  }

  /** "typing…" while a long tool call runs, and once a short note that it is still running. */
  private async showStillWorking(call: Promise<unknown>, idempotencyKey: string): Promise<void> {
    let done = false;
    call.then(
      () => (done = true),
      () => (done = true),
    );
    for (let tick = 1; !(await condition(() => done, STILL_WORKING_TYPING)); tick++) {
      this.background.push(this.typing.sendTyping({ chatId: this.session.telegramId }).catch(() => undefined));
      if (tick === STILL_WORKING_MESSAGE_AFTER_TICKS) await this.send(Replies.stillWorking, idempotencyKey);
    }
  }

  private async send(text: string, idempotencyKey: string): Promise<void> {
    const chatId = this.session.telegramId;
    try {
      await this.telegram.sendMessage({ chatId, text, idempotencyKey });
    } catch (err) {
      // The person is unreachable or Telegram kept failing: record it, keep the session alive.
      log.error('Reply could not be delivered', { chatId, idempotencyKey, error: describe(err) });
    }
  }

  private async deliverNotice(notice: NoticeInput): Promise<void> {
    const text = notice.display ?? Replies.ownerNotice(notice.fromName, notice.text);
    const key = `${this.session.sessionId}/notice/${notice.noticeId}`;
    // Notices with a file are newer than any recorded history: older ones replay as before.
    if (notice.file) await this.sendFile(notice.file, text, key);
    else await this.send(text, key);
    const { role, telegramId } = this.session;
    // In the owner's session a notice carries others' words: quoted as data, its origin recorded.
    this.state.addContext(
      role === 'owner'
        ? this.state.quote(noticeOrigin(notice, telegramId), notice.text, 'Delivered notice')
        : noticeText(notice, role),
    );
  }

  private async sendFile(file: NonNullable<NoticeInput['file']>, caption: string, idempotencyKey: string) {
    const chatId = this.session.telegramId;
    try {
      await this.telegram.sendFile({ chatId, ...file, content: '', caption, idempotencyKey });
    } catch (err) {
      log.error('File could not be delivered', { chatId, idempotencyKey, error: describe(err) });
      await this.send(Replies.fileNotSent, `${idempotencyKey}/failed`);
    }
  }

  /**
   * What the model reads of one message: its text, voice notes transcribed, files
   * described. Null when nothing readable arrived; a voice note that cannot be
   * transcribed is answered here, politely.
   */
  private async readMessage(m: MessageReceivedInput, turnKey: string, into: Gathered): Promise<string | null> {
    const parts: string[] = [];
    const own = this.session.role === 'owner';
    if (!isBlank(m.text)) {
      parts.push(messageText(m));
      if (own) into.ownerWords.push(m.text);
    }
    for (const a of m.attachments ?? []) {
      if (a.kind !== 'voice') {
        // A file's name was chosen by whoever made the file: quoted as data.
        parts.push(
          own
            ? savedFileText(a, (text) => this.state.quote({ kind: 'file', name: a.fileName }, text, 'File name'))
            : savedFileText(a),
        );
        continue;
      }
      try {
        const { text } = await transcribeVoice({
          telegramId: this.session.telegramId,
          path: a.path,
          fileName: a.fileName,
          mimeType: a.mimeType,
        });
        parts.push(voiceTranscriptText(a, text));
        // The owner's voice note is the owner speaking.
        if (own) into.ownerWords.push(text);
      } catch (err) {
        log.warn('Voice note could not be transcribed', { messageId: m.messageId, error: describe(err) });
        await this.send(Replies.voiceUnreadable, `${turnKey}/voice-${m.messageId}`);
        parts.push(UNREADABLE_VOICE);
      }
    }
    parts.push(...(m.notes ?? []));
    // A message that was only an unreadable voice note has been answered; nothing to think about.
    if (parts.length === 0 || parts.every((p) => p === UNREADABLE_VOICE)) return null;
    return parts.join('\n');
  }
}

/** A tool's origin; an MCP tool names its server (`mcp__<server>__<tool>`). */
function toolOrigin(name: string): Origin {
  const mcp = /^mcp__([a-z][a-z0-9-]*)__(.+)$/.exec(name);
  return mcp ? { kind: 'tool', name: mcp[2]!, server: mcp[1]! } : { kind: 'tool', name };
}

function isFailureOfType(err: unknown, type: string): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === type;
}

export function describe(err: unknown): string {
  if (err instanceof ActivityFailure && err.cause) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}
