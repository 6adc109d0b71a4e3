// The heartbeat workflow's contract: input, signal, query, and what it may ask of the
// world (HeartbeatActivities). No Node imports.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface HeartbeatSettings {
  intervalMinutes: number;
  /** Local hours [start, end) when the owner is not disturbed, e.g. 22 → 8; equal hours mean none. */
  quietStartHour: number;
  quietEndHour: number;
  timeZone: string;
  /** A conversation waiting on the owner this long is worth a word. */
  stallHours: number;
}

export interface HeartbeatInput {
  ownerId: number;
  settings: HeartbeatSettings;
  carried?: HeartbeatStatus;
}

export interface HeartbeatStatus {
  beats: number;
  /** Beats that found something and asked Claude. */
  checks: number;
  notifications: number;
  lastBeatAt?: string;
  lastOutcome?: string;
  nextBeatAt?: string;
}

export type HeartbeatFactKind = 'overdue_task' | 'stalled_conversation' | 'missed_reminder';

export interface HeartbeatFact {
  kind: HeartbeatFactKind;
  id: string;
  text: string;
}

export interface HeartbeatDecision {
  notify: boolean;
  message: string;
}

export const heartbeatWorkflowId = (ownerId: number) => `heartbeat-${ownerId}`;
/** New settings (from a restart with changed configuration) apply from the next beat. */
export const configureHeartbeatSignal = defineSignal<[HeartbeatSettings]>('configureHeartbeat');
export const heartbeatStatusQuery = defineQuery<HeartbeatStatus>('heartbeatStatus');

export type HeartbeatWorkflow = (input: HeartbeatInput) => Promise<void>;

export interface GatherHeartbeatFactsInput {
  ownerId: number;
  now: string;
  stallHours: number;
}

export interface DecideHeartbeatInput {
  beatId: string;
  ownerId: number;
  facts: HeartbeatFact[];
  now: string;
}

export interface ReportHeartbeatInput {
  beatId: string;
  ownerId: number;
  facts: HeartbeatFact[];
  decision: HeartbeatDecision;
}

/** What the heartbeat may ask of the world. */
export interface HeartbeatActivities {
  gatherHeartbeatFacts(input: GatherHeartbeatFactsInput): Promise<HeartbeatFact[]>;
  decideHeartbeat(input: DecideHeartbeatInput): Promise<HeartbeatDecision>;
  reportHeartbeat(input: ReportHeartbeatInput): Promise<void>;
}
