// A meeting with several people (2–4 guests): one workflow, `negotiation-<id>` like every
// negotiation, so the same updates and query reach it (contracts/negotiation.ts); its own
// input, and its own activities' needs are the negotiation's and the calendar's. No Node imports.
import type { GuestView, MeetingTerms, NegotiationTiming, NegotiationView, Slot } from './negotiation.ts';

export interface Guest {
  telegramId: number;
  name: string;
  timeZone: string;
}

export interface GroupMeetingInput {
  taskId: string;
  ownerId: number;
  ownerName: string;
  ownerTimeZone: string;
  guests: Guest[];
  /** What the guests may be told. */
  brief: string;
  /** The options are proposed to everyone in turn, until all guests confirm one. */
  meeting: MeetingTerms & { options: Slot[] };
  timing: NegotiationTiming;
  searchAttributes?: boolean;
}

export type GroupMeetingWorkflow = (input: GroupMeetingInput) => Promise<NegotiationView>;

export const MIN_GUESTS = 2;
export const MAX_GUESTS = 4;

/** "Anna confirmed, Boris hasn't answered — nudged once": where every guest stands, for the owner. */
export function describeGuests(guests: GuestView[]): string {
  return guests
    .map((g) => {
      const nudged = g.nudges === 0 ? '' : g.nudges === 1 ? ' — nudged once' : ` — nudged ${g.nudges} times`;
      switch (g.status) {
        case 'confirmed':
          return `${g.name} confirmed`;
        case 'declined':
          return `${g.name} declined`;
        case 'excused':
          return `${g.name} is left out`;
        default:
          return `${g.name} hasn't answered${nudged}`;
      }
    })
    .join(', ');
}
