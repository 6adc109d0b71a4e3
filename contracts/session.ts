// The session workflow's contract: what it accepts (input, signals, query) and what it
// may ask of the world (SessionActivities; the `telegram` queue's are in telegram.ts).
// No Node imports: the gateway, clients and activities import it, and so does the bundle.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ChatMessage,
  ContentBlock,
  ModelPrice,
  Role,
  TextRedaction,
  TokenUsage,
  ToolResultPart,
} from './domain.ts';
import type {
  ConfirmationRequest,
  ContextEntry,
  PendingAction,
  PendingActionAnswerInput,
  TurnTrust,
} from './provenance.ts';

/** Settings fixed when a session starts (from the deployment's config), carried across continue-as-new. */
export interface SessionSettings {
  telegramTaskQueue: string;
  maxMessageChars: number;
  /** Turns before the workflow continues as new, even if Temporal does not suggest it yet. */
  turnsPerRun: number;
  /** Messages of conversation kept for the model (sessions from before the token budget). */
  historyMessages: number;
  /** Tokens of history kept before the older half is folded into the summary (absent in older runs). */
  historyTokens?: number;
  /** For the estimated cost operators see; absent in sessions started before it existed. */
  price?: ModelPrice;
}

export interface SessionInput {
  telegramId: number;
  role: Role;
  displayName: string;
  settings: SessionSettings;
  carried?: CarriedSessionState;
}

/** A file that came with a message, saved in the person's workspace by the gateway. */
export interface Attachment {
  kind: 'voice' | 'photo' | 'file';
  /** Relative to the workspace root. */
  path: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  durationSeconds?: number;
}

/** Where a message stands in its chat's sequence. */
export interface SentMark {
  messageId: number;
  sentAt: string;
}

/** A person's message, as recorded by the gateway. */
export interface MessageReceivedInput {
  messageId: number;
  text: string;
  attachments?: Attachment[];
  /** What else arrived, described for the model (a sticker, a location, a file too large to keep...). */
  notes?: string[];
  /** Characters in the message as sent, before cleaning/truncation, to tell the person what was cut. */
  originalLength: number;
  truncated: boolean;
  sentAt: string;
}

/**
 * Something to tell a person without asking the model: a contact's summary or a
 * negotiation's news for the owner, a reminder, a new task for a contact. The session
 * sends it as is and keeps it as context for the next turn.
 */
export interface NoticeInput {
  noticeId: string;
  fromTelegramId: number;
  fromName: string;
  text: string;
  /** The exact message to send; by default "📨 From <fromName>: <text>". */
  display?: string;
  /** A file of the person's workspace (relative to its root) to send, with the message as its caption. */
  file?: { path: string; fileName: string; mimeType: string };
}

/**
 * Something the assistant must act on in this session: a negotiation asks the contact's
 * session to say something (open, nudge, pass on the owner's answer, close), or a scheduled
 * job comes due in the owner's.
 */
export interface InstructionInput {
  instructionId: string;
  taskId: string;
  text: string;
  /** A scheduled job for the owner's assistant ("send me my agenda") rather than a conversation step. */
  kind?: 'conversation' | 'scheduled-job';
}

export type InboxItem =
  | { kind: 'message'; message: MessageReceivedInput }
  | { kind: 'notice'; notice: NoticeInput }
  | { kind: 'instruction'; instruction: InstructionInput }
  /** The owner's tap on a pending action's button (the companion bot). */
  | { kind: 'action-answer'; answer: PendingActionAnswerInput };

export interface CarriedSessionState {
  history: ChatMessage[];
  inbox: InboxItem[];
  turn: number;
  usage: TokenUsage;
  recentMessageIds: number[];
  recentNoticeIds: string[];
  pendingContext: string[];
  /** Context lines left out because too many arrived before the next turn (absent in older runs). */
  droppedContext?: number;
  runsCompleted: number;
  /** The owner was told that Claude refuses the API key (absent in older runs). */
  keyRejectionTold?: boolean;
  /** The running summary of turns cut from the history (absent in older runs). */
  summary?: string;
  /** Untrusted texts quoted in the context, by quote id (absent in older runs). */
  untrusted?: ContextEntry[];
  /** Quotes made so far: the next quote's id. */
  quotes?: number;
  /** An outward action waiting for the owner's "yes". */
  pendingAction?: PendingAction;
  /** The newest message read so far (absent in older runs): older ones arriving later are late follow-ups. */
  newestMessage?: SentMark;
}

export interface SessionStatus {
  telegramId: number;
  role: Role;
  turn: number;
  queued: number;
  busy: boolean;
  historyMessages: number;
  /** Estimated tokens of the history the model sees. */
  historyTokens: number;
  /** The running summary of older turns ('' while nothing was folded). */
  summary: string;
  usage: TokenUsage;
  /** Estimated from `usage` and the configured price (CLAUDE_PRICE_PER_MTOK). */
  estimatedCostUsd?: number;
  runsCompleted: number;
  /** The action waiting for the owner's confirmation, in plain words (for a button). */
  pendingAction?: { actionId: string; summary: string };
}

export function sessionWorkflowId(telegramId: number): string {
  return `session-${telegramId}`;
}

// Signals for arrivals: the sender needs no answer. (The wire names of notices and
// instructions are older than these constants' names; running sessions listen on them.)
export const messageReceivedSignal = defineSignal<[MessageReceivedInput]>('messageReceived');
export const noticeSignal = defineSignal<[NoticeInput]>('ownerNotice');
export const instructionSignal = defineSignal<[InstructionInput]>('conversationInstruction');
/** The owner's /reset as sessions before the update received it; still handled for them. */
export const resetSignal = defineSignal('reset');
/**
 * The owner's /reset: a fresh conversation context once the current turn is over (queued
 * messages are kept). Rejected when there is nothing to forget; answers how much was.
 */
export const resetUpdate = defineUpdate<ResetResult>('resetConversation');
export const sessionStatusQuery = defineQuery<SessionStatus>('sessionStatus');
/**
 * The owner answers a pending action by a tap (the companion bot's button) rather than a
 * "yes" in the chat. Rejected unless that exact action is the one waiting.
 */
export const pendingActionAnswerUpdate = defineUpdate<{ queued: true }, [PendingActionAnswerInput]>(
  'answerPendingAction',
);

export interface ResetResult {
  /** Conversation messages forgotten. */
  forgottenMessages: number;
}

export type SessionWorkflow = (input: SessionInput) => Promise<void>;

/** One Claude call of the agent loop; role, prompt and tools are decided by the activity. */
export interface ClaudeStepInput {
  sessionId: string;
  telegramId: number;
  messages: ChatMessage[];
  /** The running summary of turns no longer in `messages`; placed at the start of the history. */
  summary?: string;
}

export interface ClaudeStepOutput {
  content: ContentBlock[];
  stopReason: string | null;
  usage: TokenUsage;
  /** Spans of the conversation sent that held a secret now stored: the workflow cuts them out. */
  redactions?: TextRedaction[];
}

/** Older turns to fold into a session's running summary. */
export interface SummarizeInput {
  sessionId: string;
  telegramId: number;
  previousSummary: string;
  messages: ChatMessage[];
}

export interface SummarizeOutput {
  summary: string;
  usage: TokenUsage;
}

/** A voice note in the person's workspace, to be transcribed. */
export interface TranscribeInput {
  telegramId: number;
  path: string;
  fileName: string;
  mimeType: string;
}

export interface TranscribeOutput {
  text: string;
}

/** One tool call the model asked for; the activity decides whether the caller may make it. */
export interface ExecuteToolInput {
  sessionId: string;
  telegramId: number;
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
  /** What started the turn and whose words are in the context: the privilege policy decides on it. */
  trust?: TurnTrust;
}

export interface ExecuteToolResult {
  /** Text, or parts when the tool returned images (MCP tools). */
  content: string | ToolResultPart[];
  isError: boolean;
  /** Not done: the owner must confirm this exact action first (pure/privilege-policy.ts). */
  confirmation?: ConfirmationRequest;
  /** The output carries words of others (an MCP server's, contacts'): the session quotes it as data. */
  untrusted?: boolean;
  /** The person (Telegram id) an outward call of the owner's acted on: the subject "it" may refer to next. */
  about?: number;
}

/** What a session may ask of the world on the main task queue. */
export interface SessionActivities {
  callClaude(input: ClaudeStepInput): Promise<ClaudeStepOutput>;
  summarizeHistory(input: SummarizeInput): Promise<SummarizeOutput>;
  transcribeVoice(input: TranscribeInput): Promise<TranscribeOutput>;
  executeTool(input: ExecuteToolInput): Promise<ExecuteToolResult>;
}
