// State and pure logic of one person's session, kept apart from the workflow's
// orchestration so it can be read (and carried across continue-as-new) as a whole.
import { addUsage, ZERO_USAGE } from '../contracts/domain.ts';
import { inSendingOrder, newerMark } from '../pure/sending-order.ts';
import type { ChatMessage, ContentBlock, Role, TokenUsage } from '../contracts/domain.ts';
import type {
  CarriedSessionState,
  InstructionInput,
  InboxItem,
  MessageReceivedInput,
  NoticeInput,
  SentMark,
  SessionStatus,
} from '../contracts/session.ts';
import type { ContextEntry, Origin, PendingAction } from '../contracts/provenance.ts';
import { distinctOrigins, quoteAsData, stillInContext } from '../pure/provenance.ts';

// Enough to recognise a redelivered message or notice (gateway restart, retried activity).
const REMEMBERED_IDS = 500;
// Context lines waiting for the owner's next turn: the newest are kept, the rest counted.
const PENDING_CONTEXT_LINES = 20;

export class SessionState {
  history: ChatMessage[];
  inbox: InboxItem[];
  turn: number;
  usage: TokenUsage;
  busy = false;
  runsCompleted: number;
  /** Context lines (notices) the model should see with the next user turn. */
  pendingContext: string[];
  droppedContext: number;
  /** Provenance of the untrusted texts quoted in the context (notices, tool output, file names). */
  untrusted: ContextEntry[];
  /** An outward action waiting for the owner's "yes" (or a tap). */
  pendingAction: PendingAction | undefined;
  private quotes: number;
  /** The newest message taken so far (sending order): an older one arriving later is a late follow-up. */
  newestMessage: SentMark | undefined;
  private recentMessageIds: number[];
  private recentNoticeIds: string[];
  /** Resets so far in this run; a turn that began before the latest one does not commit its conversation. */
  private resets = 0;
  private resetsAtTurnStart = 0;

  constructor(carried?: CarriedSessionState) {
    this.history = carried?.history ?? [];
    this.inbox = carried?.inbox ?? [];
    this.turn = carried?.turn ?? 0;
    this.usage = carried?.usage ?? ZERO_USAGE;
    this.recentMessageIds = carried?.recentMessageIds ?? [];
    this.recentNoticeIds = carried?.recentNoticeIds ?? [];
    this.pendingContext = carried?.pendingContext ?? [];
    this.droppedContext = carried?.droppedContext ?? 0;
    this.runsCompleted = carried?.runsCompleted ?? 0;
    this.newestMessage = carried?.newestMessage;
    this.untrusted = carried?.untrusted ?? [];
    this.quotes = carried?.quotes ?? 0;
    this.pendingAction = carried?.pendingAction;
  }

  /** Quotes someone else's text for the model, recording where it came from. */
  quote(origin: Origin, text: string, label?: string): string {
    const id = `q${++this.quotes}`;
    this.untrusted.push({ id, origin, turn: this.turn });
    return quoteAsData(id, origin, text, label);
  }

  /** Whose words, other than the owner's, the model can read now; the latest to arrive last. */
  untrustedOrigins(): Origin[] {
    return distinctOrigins(this.untrusted.map((e) => e.origin).reverse()).reverse();
  }

  /** Forgets the provenance of quotes no longer in the history or the pending context. */
  private pruneUntrusted(): void {
    if (this.untrusted.length === 0) return;
    this.untrusted = stillInContext(this.untrusted, JSON.stringify([this.history, this.pendingContext]));
  }

  /** Records a message; a redelivered one (same Telegram message id) is dropped. */
  enqueueMessage(message: MessageReceivedInput): void {
    if (this.recentMessageIds.includes(message.messageId)) return;
    this.recentMessageIds = remember(this.recentMessageIds, message.messageId);
    this.inbox.push({ kind: 'message', message });
  }

  enqueueNotice(notice: NoticeInput): void {
    if (this.recentNoticeIds.includes(notice.noticeId)) return;
    this.recentNoticeIds = remember(this.recentNoticeIds, notice.noticeId);
    this.inbox.push({ kind: 'notice', notice });
  }

  /** Keeps a context line for the next turn; beyond the limit the oldest give way to a count. */
  addContext(line: string): void {
    this.pendingContext.push(line);
    const overflow = this.pendingContext.length - PENDING_CONTEXT_LINES;
    if (overflow > 0) {
      this.pendingContext.splice(0, overflow);
      this.droppedContext += overflow;
    }
  }

  /** The context lines for the next turn, saying how many older ones were left out. */
  contextLines(): string[] {
    return this.droppedContext > 0
      ? [`[${this.droppedContext} earlier notices not shown]`, ...this.pendingContext]
      : this.pendingContext;
  }

  clearContext(): void {
    this.pendingContext = [];
    this.droppedContext = 0;
  }

  /** A fresh conversation context; queued messages and usage are kept. Returns how many messages were forgotten. */
  reset(): number {
    const forgotten = this.history.length;
    this.history = [];
    this.clearContext();
    this.untrusted = [];
    this.pendingAction = undefined;
    this.resets += 1;
    return forgotten;
  }

  /** Nothing to reset: no conversation, no notices waiting, no turn under way. */
  isFresh(): boolean {
    return this.history.length === 0 && this.pendingContext.length === 0 && this.droppedContext === 0 && !this.busy;
  }

  /** A new turn begins. */
  startTurn(): number {
    this.turn += 1;
    this.resetsAtTurnStart = this.resets;
    return this.turn;
  }

  enqueueInstruction(instruction: InstructionInput): void {
    if (this.recentNoticeIds.includes(instruction.instructionId)) return;
    this.recentNoticeIds = remember(this.recentNoticeIds, instruction.instructionId);
    this.inbox.push({ kind: 'instruction', instruction });
  }

  hasWork(): boolean {
    return this.inbox.length > 0;
  }

  hasQueuedMessages(): boolean {
    return this.inbox.some((item) => item.kind === 'message');
  }

  /** Takes everything queued: in arrival order, or with the messages in sending order. */
  takeInbox(options: { inSendingOrder?: boolean } = {}): InboxItem[] {
    const items = options.inSendingOrder ? inSendingOrder(this.inbox) : this.inbox;
    this.inbox = [];
    for (const item of items) {
      if (item.kind === 'message') this.newestMessage = newerMark(this.newestMessage, item.message);
    }
    return items;
  }

  addUsage(usage: TokenUsage): void {
    this.usage = addUsage(this.usage, usage);
  }

  /**
   * Commits a finished turn's conversation, keeping at most `limit` messages; not when the
   * owner reset the session while the turn was under way (the reset wins).
   */
  commitHistory(conversation: ChatMessage[], limit: number): void {
    if (this.resets !== this.resetsAtTurnStart) return;
    this.history = trimHistory(conversation, limit);
    this.pruneUntrusted();
  }

  snapshot(): CarriedSessionState {
    return {
      history: this.history,
      inbox: this.inbox,
      turn: this.turn,
      usage: this.usage,
      recentMessageIds: this.recentMessageIds,
      recentNoticeIds: this.recentNoticeIds,
      pendingContext: this.pendingContext,
      droppedContext: this.droppedContext,
      runsCompleted: this.runsCompleted,
      untrusted: this.untrusted,
      quotes: this.quotes,
      pendingAction: this.pendingAction,
      ...(this.newestMessage !== undefined && { newestMessage: this.newestMessage }),
    };
  }

  status(telegramId: number, role: Role): SessionStatus {
    return {
      telegramId,
      role,
      turn: this.turn,
      queued: this.inbox.length,
      busy: this.busy,
      historyMessages: this.history.length,
      usage: this.usage,
      runsCompleted: this.runsCompleted,
      ...(this.pendingAction && {
        pendingAction: { actionId: this.pendingAction.actionId, summary: this.pendingAction.summary },
      }),
    };
  }
}

function remember<T>(ids: T[], id: T): T[] {
  const next = [...ids, id];
  return next.length > REMEMBERED_IDS ? next.slice(next.length - REMEMBERED_IDS) : next;
}

/**
 * Keeps the newest messages, starting at a person's own words: a cut must never leave
 * a tool_result without the tool_use it answers (the API rejects that).
 */
export function trimHistory(conversation: ChatMessage[], limit: number): ChatMessage[] {
  if (conversation.length <= limit) return conversation;
  for (let start = conversation.length - limit; start < conversation.length; start++) {
    if (startsAUserTurn(conversation[start]!)) return conversation.slice(start);
  }
  return [];
}

function startsAUserTurn(message: ChatMessage): boolean {
  return message.role === 'user' && !message.content.some((b: ContentBlock) => b.type === 'tool_result');
}
