// The negotiation workflow's contract: its input, signals, query, search attributes, and
// what it may ask of the world (NegotiationActivities). No Node imports.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { OwnerNoticeInput } from './session.ts';

export type ConversationType = 'meeting' | 'question' | 'task_assignment';
export type ConversationStatus = 'pending' | 'in_progress' | 'awaiting_owner' | 'completed' | 'cancelled' | 'expired';
export const ACTIVE_STATUSES: ConversationStatus[] = ['pending', 'in_progress', 'awaiting_owner'];

export interface Slot {
  startUtc: string;
  endUtc: string;
}

export interface MeetingTerms {
  durationMinutes: number;
  /** The owner's available windows (UTC instants). Proposals must fit inside one. */
  windows: Slot[];
  place?: string;
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
  type: ConversationType;
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

/** What the contact's session reports (update_conversation / notify_owner). */
export type ContactUpdate =
  | { kind: 'proposal'; slot: Slot; contactTimeZone?: string; note?: string }
  | { kind: 'confirmed'; slot?: Slot; note?: string }
  | { kind: 'answered'; note: string }
  | { kind: 'declined'; note?: string }
  | { kind: 'info'; note: string };

export type OwnerDecision =
  | { decision: 'accept'; message?: string }
  | { decision: 'decline'; message?: string }
  | { decision: 'counter'; message: string };

export interface NegotiationStatus {
  taskId: string;
  status: ConversationStatus;
  type: ConversationType;
  contactId: number;
  nudges: number;
  pendingSlot?: Slot & { approved: boolean };
  result?: NegotiationResult;
  lastEvent: string;
}

export const contactUpdateSignal = defineSignal<[ContactUpdate]>('contactUpdate');
export const ownerDecisionSignal = defineSignal<[OwnerDecision]>('ownerDecision');
export const cancelNegotiationSignal = defineSignal<[{ reason?: string }]>('cancelNegotiation');
export const negotiationStatusQuery = defineQuery<NegotiationStatus>('negotiationStatus');

// Typed search attributes: find "all in-progress meetings with @user" in the UI or CLI.
export const SearchAttributes = {
  owner: defineSearchAttributeKey('JobsOwner', SearchAttributeType.KEYWORD),
  contact: defineSearchAttributeKey('JobsContact', SearchAttributeType.KEYWORD),
  type: defineSearchAttributeKey('JobsConversationType', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('JobsConversationStatus', SearchAttributeType.KEYWORD),
} as const;

export function negotiationWorkflowId(taskId: string): string {
  return `negotiation-${taskId}`;
}

export type NegotiationWorkflow = (input: NegotiationInput) => Promise<NegotiationStatus>;

export interface RecordConversationInput {
  taskId: string;
  status: ConversationStatus;
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
  notice: OwnerNoticeInput;
}

/** What a negotiation may ask of the world. */
export interface NegotiationActivities {
  recordConversation(input: RecordConversationInput): Promise<void>;
  instructContact(input: InstructContactInput): Promise<void>;
  tellOwner(input: TellOwnerInput): Promise<void>;
}
