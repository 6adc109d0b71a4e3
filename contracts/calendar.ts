// What a negotiation with the owner's calendar connected may ask of the world: whether the
// agreed time is still free (re-checked before confirming), booking the meeting, cancelling
// it, and the invitation (.ics) the contact receives. No Node imports (workflow bundle).
import type { Slot } from './negotiation.ts';

/** "unknown" when the calendar could not be read: never taken for free. */
export type SlotState = 'free' | 'busy' | 'unknown';

export interface CheckMeetingSlotInput {
  taskId: string;
  slot: Slot;
  ownerTimeZone: string;
}

export interface MeetingDetails {
  taskId: string;
  ownerName: string;
  ownerTimeZone: string;
  contactId: number;
  contactName: string;
  contactTimeZone: string;
  brief: string;
  slot: Slot;
  place?: string;
  /** 0 when booked, one more for each change after (RFC 5545 SEQUENCE). */
  sequence: number;
  /** A meeting with several people: every guest (the contact fields name the first). */
  guests?: { telegramId: number; name: string; timeZone: string }[];
}

export interface InvitationInput {
  meeting: MeetingDetails;
  method: 'REQUEST' | 'CANCEL';
  /** The zone of the one who receives it (the caption's first time); default the contact's. */
  recipientTimeZone?: string;
}

/** An .ics file and the message it comes with, in the contact's local time. */
export interface Invitation {
  fileName: string;
  mimeType: string;
  content: string;
  caption: string;
}

export interface CalendarActivities {
  checkMeetingSlot(input: CheckMeetingSlotInput): Promise<SlotState>;
  /** Writes the event (the same one again on a retry: it is named by the negotiation). */
  bookMeeting(input: MeetingDetails): Promise<void>;
  /** Removes the event; one already gone counts as removed. */
  cancelMeeting(input: MeetingDetails): Promise<void>;
  meetingInvitation(input: InvitationInput): Promise<Invitation>;
}
