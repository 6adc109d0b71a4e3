// A booked meeting as iCalendar, written with ical.js: the event stored in the owner's
// calendar (no METHOD, RFC 4791 4.1), and the invitation or cancellation (METHOD:REQUEST /
// METHOD:CANCEL, RFC 5546) the contact receives as an .ics file. The negotiation's id is in
// the UID and in X-JOBS-NEGOTIATION, so the event can be found again.
import ICAL from 'ical.js';

export interface MeetingEvent {
  taskId: string;
  title: string;
  startUtc: string;
  endUtc: string;
  place?: string;
  description?: string;
  owner: { name: string; address?: string };
  contacts: { name: string; telegramId: number }[];
  /** Increases with every change of a booked meeting (RFC 5545 SEQUENCE). */
  sequence: number;
}

export function meetingUid(taskId: string): string {
  return `jobs-negotiation-${taskId}@jobs`;
}

/** The calendar object stored in the owner's calendar. */
export function storedEventIcs(meeting: MeetingEvent, stamp: Date): string {
  return calendarWith(meeting, stamp, undefined, 'CONFIRMED');
}

/** The .ics the contact receives: an invitation (REQUEST) or its cancellation (CANCEL). */
export function invitationIcs(meeting: MeetingEvent, method: 'REQUEST' | 'CANCEL', stamp: Date): string {
  return calendarWith(meeting, stamp, method, method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
}

function calendarWith(meeting: MeetingEvent, stamp: Date, method: string | undefined, status: string): string {
  const calendar = new ICAL.Component(['vcalendar', [], []]);
  calendar.updatePropertyWithValue('prodid', '-//Jobs assistant//Calendar//EN');
  calendar.updatePropertyWithValue('version', '2.0');
  if (method) calendar.updatePropertyWithValue('method', method);
  const vevent = new ICAL.Component('vevent');
  const event = new ICAL.Event(vevent);
  event.uid = meetingUid(meeting.taskId);
  event.summary = meeting.title;
  event.startDate = ICAL.Time.fromJSDate(new Date(meeting.startUtc), true);
  event.endDate = ICAL.Time.fromJSDate(new Date(meeting.endUtc), true);
  if (meeting.place) event.location = meeting.place;
  if (meeting.description) event.description = meeting.description;
  vevent.updatePropertyWithValue('dtstamp', ICAL.Time.fromJSDate(stamp, true));
  vevent.updatePropertyWithValue('sequence', meeting.sequence);
  vevent.updatePropertyWithValue('status', status);
  vevent.updatePropertyWithValue('x-jobs-negotiation', meeting.taskId);
  const organizer = vevent.addPropertyWithValue('organizer', meeting.owner.address ?? 'urn:x-jobs:owner');
  organizer.setParameter('cn', meeting.owner.name);
  for (const contact of meeting.contacts) {
    // Contacts are known by their Telegram id, not an e-mail address.
    const attendee = vevent.addPropertyWithValue('attendee', `urn:x-jobs:telegram:${contact.telegramId}`);
    attendee.setParameter('cn', contact.name);
    attendee.setParameter('role', 'REQ-PARTICIPANT');
    attendee.setParameter('partstat', method === 'CANCEL' ? 'DECLINED' : 'ACCEPTED');
  }
  calendar.addSubcomponent(vevent);
  return calendar.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}
