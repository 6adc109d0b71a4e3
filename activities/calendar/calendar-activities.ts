// The calendar's activities for negotiations (contracts/calendar.ts): re-check a time, book
// and cancel the meeting, and write the invitation the contact receives. Without a calendar
// configured a time is "unknown" and nothing is booked.
import { ApplicationFailure } from '@temporalio/activity';
import type { CalendarActivities, Invitation, InvitationInput, MeetingDetails } from '../../contracts/calendar.ts';
import { formatSpanInZones } from '../../pure/time-zones.ts';
import { invitationIcs } from './meeting-event.ts';
import type { MeetingEvent } from './meeting-event.ts';
import type { OwnerCalendar } from './owner-calendar.ts';

export function createCalendarActivities({ calendar }: { calendar?: OwnerCalendar }) {
  function connected(): OwnerCalendar {
    if (calendar) return calendar;
    throw ApplicationFailure.create({
      type: 'CalendarNotConfigured',
      message: 'No calendar is configured (CALDAV_URL).',
      nonRetryable: true,
    });
  }

  return {
    async checkMeetingSlot({ taskId, slot, ownerTimeZone }) {
      if (!calendar) return 'unknown';
      return calendar.slotState(slot, ownerTimeZone, taskId);
    },

    async bookMeeting(meeting: MeetingDetails) {
      // The stamp is the slot's start, not the clock: a retry writes byte for byte the same event.
      await connected().book(eventOf(meeting), new Date(meeting.slot.startUtc));
    },

    async cancelMeeting(meeting: MeetingDetails) {
      await connected().cancel(meeting.taskId);
    },

    async meetingInvitation({ meeting, method, recipientTimeZone }: InvitationInput): Promise<Invitation> {
      const when = formatSpanInZones(meeting.slot.startUtc, meeting.slot.endUtc, [
        recipientTimeZone ?? meeting.contactTimeZone,
        meeting.ownerTimeZone,
      ]);
      const caption =
        method === 'REQUEST'
          ? `📅 Invitation: ${titleOf(meeting)}, ${when}${meeting.place ? `, ${meeting.place}` : ''}. Open the file to add it to your calendar.`
          : `❌ Cancelled: ${titleOf(meeting)}, ${when}. Open the file to remove it from your calendar.`;
      return {
        fileName: method === 'REQUEST' ? 'invite.ics' : 'cancel.ics',
        mimeType: 'text/calendar',
        content: invitationIcs(eventOf(meeting), method, new Date(meeting.slot.startUtc)),
        caption,
      };
    },
  } satisfies CalendarActivities;
}

function titleOf(meeting: MeetingDetails): string {
  return `meeting of ${meeting.ownerName} and ${namesOf(meeting)}`;
}

function namesOf(meeting: MeetingDetails): string {
  const names = meeting.guests?.map((g) => g.name) ?? [meeting.contactName];
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function eventOf(meeting: MeetingDetails): MeetingEvent {
  return {
    taskId: meeting.taskId,
    title: `Meeting: ${meeting.ownerName} and ${namesOf(meeting)}`,
    startUtc: meeting.slot.startUtc,
    endUtc: meeting.slot.endUtc,
    place: meeting.place,
    description: meeting.brief,
    owner: { name: meeting.ownerName },
    contacts: meeting.guests ?? [{ name: meeting.contactName, telegramId: meeting.contactId }],
    sequence: meeting.sequence,
  };
}
