// Where a text in the owner's context came from, and what the session tells `executeTool`
// about the turn a call belongs to: the data the privilege policy (pure/privilege-policy.ts)
// decides on. No Node imports: part of the workflow bundle.

/** Who wrote a text the model reads. Only the owner's own words may steer outward tools. */
export type Origin =
  | { kind: 'owner' }
  /** A contact's words, directly or through their assistant session or a negotiation. */
  | { kind: 'contact'; telegramId: number; name: string }
  /** A tool's output (`server` set for an MCP server's tool): data, often carrying other people's words. */
  | { kind: 'tool'; name: string; server?: string; about?: number }
  /** A file's name, chosen by whoever made the file. */
  | { kind: 'file'; name: string }
  /** Something the assistant composed from data that may carry others' words (a reminder, the heartbeat). */
  | { kind: 'assistant'; what: string };

/** An untrusted text that is in the owner's context, recorded by the id its quote carries. */
export interface ContextEntry {
  /** The quote's id, as written in its delimiters (`⟦q12⟧ … ⟦/q12⟧`). */
  id: string;
  origin: Origin;
  turn: number;
}

/** What started a turn: only the owner's own message (or tap) may lead to outward actions. */
export type TurnStart = 'owner' | 'scheduled-job' | 'conversation';

/** What executeTool is told about the turn a call belongs to. */
export interface TurnTrust {
  startedBy: TurnStart;
  /** The owner's own words in this turn (their messages and voice notes), '' when none. */
  ownerWords: string;
  /** Origins of the untrusted texts the model can read now (history, notices, tool output). */
  untrusted: Origin[];
  /** Set only when the session runs an action the owner confirmed: its id. */
  confirmedActionId?: string;
}

/** An outward action the model asked for that waits for the owner's plain "yes". */
export interface PendingAction {
  /** `<sessionId>/<toolUseId>`: also names the confirmation in the owner's chat and the button. */
  actionId: string;
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
  /** The action in plain words, with its arguments, as the owner is asked. */
  summary: string;
  /** Whose words were in the context when the model asked for it. */
  origins: Origin[];
  askedInTurn: number;
}

/** The policy's word on a call that needs the owner: executeTool's result carries it. */
export interface ConfirmationRequest {
  actionId: string;
  summary: string;
}

/** The owner's answer to a pending action by a button (the companion bot) rather than words. */
export interface PendingActionAnswerInput {
  actionId: string;
  approve: boolean;
}
