// The negotiation workflow's contract: its input, updates, query, search attributes, and
// what it may ask of the world (NegotiationActivities). A negotiation is the errand the
// owner delegates ("agree a meeting with Anna", "ask Ivan whether..."): one workflow,
// `negotiation-<id>`, is the only authority for its state; the database row and the
// search attributes are projections it writes. No Node imports.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { NoticeInput } from './session.ts';

export const NEGOTIATION_TYPES = ['meeting', 'question', 'task_assignment'] as const;
export type NegotiationType = (typeof NEGOTIATION_TYPES)[number];

/** The one status type: the workflow's state, the database enum and the search attribute. */
export const NEGOTIATION_STATUSES = [
  'pending',
  'in_progress',
  'awaiting_owner',
  'completed',
  'cancelled',
  'expired',
] as const;
export type NegotiationStatus = (typeof NEGOTIATION_STATUSES)[number];
export const ACTIVE_STATUSES: readonly NegotiationStatus[] = ['pending', 'in_progress', 'awaiting_owner'];

export function isFinished(status: NegotiationStatus): boolean {
  return !ACTIVE_STATUSES.includes(status);
}

export interface Slot {
  startUtc: string;
  endUtc: string;
}

export interface MeetingTerms {
  durationMinutes: number;
  /** The owner's available windows (UTC instants). Proposals must fit inside one. */
  windows: Slot[];
  place?: string;
  /** Concrete options to offer, from the owner's free time (set when a calendar is connected). */
  options?: Slot[];
  /**
   * The owner's calendar is connected: the agreed time is re-checked before it is confirmed,
   * then booked, and the contact gets the invitation (.ics) through the `telegram` queue.
   */
  calendar?: { telegramTaskQueue: string };
}

export interface NegotiationTiming {
  /** Silence before the contact is nudged (default 24 h). */
  nudgeAfterMs: number;
  maxNudges: number;
  /** From the start; after it the negotiation expires and the owner is told. */
  deadlineMs: number;
}

export interface NegotiationInput {
  taskId: string;
  ownerId: number;
  ownerName: string;
  ownerTimeZone: string;
  contactId: number;
  contactName: string;
  contactTimeZone: string;
  type: NegotiationType;
  /** What the contact may be told: the only part of the owner's request that reaches them. */
  brief: string;
  meeting?: MeetingTerms;
  timing: NegotiationTiming;
  /**
   * Set the typed search attributes (default). False only where the server has none
   * registered and cannot register them (Temporal's time-skipping test server).
   */
  searchAttributes?: boolean;
}

export interface MeetingResult {
  startUtc: string;
  endUtc: string;
  contactTimeZone: string;
  place?: string;
  notes?: string;
}

export type NegotiationResult = { meeting: MeetingResult } | { answer: string } | { reason: string };

/**
 * What the contact's session reports (the contact's update_conversation / notify_owner tools).
 * `from`: who reports (set by the tool from the caller), for meetings with several people.
 */
export type ContactReport = (
  | { kind: 'proposal'; slot: Slot; contactTimeZone?: string; note?: string }
  | { kind: 'confirmed'; slot?: Slot; note?: string }
  | { kind: 'answered'; note: string }
  | { kind: 'declined'; note?: string }
  | { kind: 'info'; note: string }
) & { from?: number };

export type OwnerDecision =
  | { decision: 'accept'; message?: string }
  | { decision: 'decline'; message?: string }
  | { decision: 'counter'; message: string };

export interface CancelInput {
  reason?: string;
}

/** The owner moves a booked meeting to another time. */
export interface RescheduleInput {
  slot: Slot;
}

/** A negotiation as its query shows it. */
export interface NegotiationView {
  taskId: string;
  status: NegotiationStatus;
  type: NegotiationType;
  contactId: number;
  nudges: number;
  pendingSlot?: Slot & { approved: boolean };
  result?: NegotiationResult;
  lastEvent: string;
  /** A meeting with several people: where each guest stands. */
  guests?: GuestView[];
}

export type GuestStatus = 'waiting' | 'confirmed' | 'declined' | 'excused';

export interface GuestView {
  telegramId: number;
  name: string;
  status: GuestStatus;
  nudges: number;
}

// Updates, not signals: the caller (a tool) gets the negotiation's verdict, in words for the
// model ("Accepted: confirming … with Anna"). A validator rejects what the negotiation's
// state does not allow (a decision on a finished negotiation, an accept with nothing to
// accept), and the caller gets the reason.
export const ownerDecisionUpdate = defineUpdate<string, [OwnerDecision]>('decide');
export const contactReportUpdate = defineUpdate<string, [ContactReport]>('report');
export const cancelNegotiationUpdate = defineUpdate<string, [CancelInput]>('cancel');
export const rescheduleMeetingUpdate = defineUpdate<string, [RescheduleInput]>('reschedule');
export const negotiationStatusQuery = defineQuery<NegotiationView>('negotiationStatus');

/**
 * The signals negotiations started before the updates were listening on. Still handled,
 * so those negotiations replay and finish; nothing sends them any more.
 */
export const LegacySignals = {
  contactUpdate: defineSignal<[ContactReport]>('contactUpdate'),
  ownerDecision: defineSignal<[OwnerDecision]>('ownerDecision'),
  cancel: defineSignal<[CancelInput]>('cancelNegotiation'),
} as const;

// Typed search attributes: find "all in-progress meetings with @user" in the UI or CLI.
export const SearchAttributes = {
  owner: defineSearchAttributeKey('JobsOwner', SearchAttributeType.KEYWORD),
  contact: defineSearchAttributeKey('JobsContact', SearchAttributeType.KEYWORD),
  type: defineSearchAttributeKey('JobsNegotiationType', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('JobsNegotiationStatus', SearchAttributeType.KEYWORD),
  /** When the negotiation acts next by itself (a reminder, the deadline): "what is due today". */
  nextActionAt: defineSearchAttributeKey('JobsNextActionAt', SearchAttributeType.DATETIME),
} as const;

/** The keys negotiations started before the rename set (type and status under "Conversation"). */
export const LegacySearchAttributes = {
  type: defineSearchAttributeKey('JobsConversationType', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('JobsConversationStatus', SearchAttributeType.KEYWORD),
} as const;

export function negotiationWorkflowId(taskId: string): string {
  return `negotiation-${taskId}`;
}

export type NegotiationWorkflow = (input: NegotiationInput) => Promise<NegotiationView>;

/** The negotiation's state as the database keeps it (a projection). */
export interface RecordNegotiationInput {
  taskId: string;
  status: NegotiationStatus;
  result?: NegotiationResult;
}

export interface InstructContactInput {
  taskId: string;
  contactId: number;
  contactName: string;
  instructionId: string;
  text: string;
}

export interface TellOwnerInput {
  ownerName: string;
  notice: NoticeInput;
}

/** What a negotiation may ask of the world. */
export interface NegotiationActivities {
  recordNegotiation(input: RecordNegotiationInput): Promise<void>;
  instructContact(input: InstructContactInput): Promise<void>;
  tellOwner(input: TellOwnerInput): Promise<void>;
  /** The same as recordNegotiation, under the name negotiations started before the rename call. */
  recordConversation(input: RecordNegotiationInput): Promise<void>;
}
