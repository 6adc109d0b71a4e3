// The owner's calendar against a real CalDAV server (Radicale): busy times from every
// calendar (recurring, all-day, private; cancelled and "free" events left out), "unknown"
// when the calendar cannot be read, options from free time, and the booked event read back.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OwnerCalendar } from '../activities/calendar/owner-calendar.ts';
import { invitationIcs, meetingUid } from '../activities/calendar/meeting-event.ts';
import type { MeetingEvent } from '../activities/calendar/meeting-event.ts';
import { startRadicale } from './support/radicale.ts';
import type { Radicale } from './support/radicale.ts';

const ZONE = 'Europe/Moscow'; // UTC+3 all year
const rules = { workingHours: { start: 10, end: 19 }, bufferMinutes: 15 };
const utc = (iso: string) => Date.parse(iso);

function vevent(lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', 'DTSTAMP:20270101T000000Z', ...lines]
    .concat(['END:VEVENT', 'END:VCALENDAR', ''])
    .join('\r\n');
}

let radicale: Radicale;
let work: string;
let personal: string;

beforeAll(async () => {
  radicale = await startRadicale();
  work = await radicale.makeCalendar('work', 'Work');
  personal = await radicale.makeCalendar('personal', 'Personal');
  // Mondays 11:00–12:00 Moscow, five weeks from 1 March 2027, the second one skipped (EXDATE),
  // the third moved to 15:00 (an exception); TZID without a VTIMEZONE, as some servers write it.
  await radicale.putEvent(
    work,
    'standup',
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTAMP:20270101T000000Z',
      'SUMMARY:Weekly sync',
      'DTSTART;TZID=Europe/Moscow:20270301T110000',
      'DTEND;TZID=Europe/Moscow:20270301T120000',
      'RRULE:FREQ=WEEKLY;COUNT=5',
      'EXDATE;TZID=Europe/Moscow:20270308T110000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:standup',
      'DTSTAMP:20270101T000000Z',
      'RECURRENCE-ID;TZID=Europe/Moscow:20270315T110000',
      'SUMMARY:Weekly sync (moved)',
      'DTSTART;TZID=Europe/Moscow:20270315T150000',
      'DTEND;TZID=Europe/Moscow:20270315T160000',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  // All of Tuesday 2 March, as a date: Moscow's whole day.
  await radicale.putEvent(
    work,
    'offsite',
    vevent(['UID:offsite', 'SUMMARY:Offsite', 'DTSTART;VALUE=DATE:20270302', 'DTEND;VALUE=DATE:20270303']),
  );
  // A private event in another calendar counts too.
  await radicale.putEvent(
    personal,
    'doctor',
    vevent(['UID:doctor', 'CLASS:PRIVATE', 'SUMMARY:Doctor', 'DTSTART:20270303T120000Z', 'DTEND:20270303T130000Z']),
  );
  // Cancelled and "free" events do not make the owner busy.
  await radicale.putEvent(
    personal,
    'cancelled',
    vevent(['UID:cancelled', 'STATUS:CANCELLED', 'DTSTART:20270304T080000Z', 'DTEND:20270304T090000Z']),
  );
  await radicale.putEvent(
    work,
    'reminder',
    vevent(['UID:reminder', 'TRANSP:TRANSPARENT', 'DTSTART:20270304T100000Z', 'DTEND:20270304T110000Z']),
  );
});

afterAll(() => radicale?.stop());

const calendar = () =>
  new OwnerCalendar({ url: radicale.url, username: radicale.username, password: radicale.password }, rules);

describe('busy times from a CalDAV calendar', () => {
  it('counts every occurrence of a recurring event, all-day events, and private events in other calendars', async () => {
    const answer = await calendar().busyBetween(
      { start: utc('2027-03-01T00:00:00Z'), end: utc('2027-04-05T00:00:00Z') },
      ZONE,
    );
    expect(answer.known).toBe(true);
    if (!answer.known) return;
    const spans = answer.busy.map((b) => [new Date(b.start).toISOString(), new Date(b.end).toISOString(), b.summary]);
    expect(spans).toEqual([
      ['2027-03-01T08:00:00.000Z', '2027-03-01T09:00:00.000Z', 'Weekly sync'],
      // The all-day event: midnight to midnight in Moscow.
      ['2027-03-01T21:00:00.000Z', '2027-03-02T21:00:00.000Z', 'Offsite'],
      ['2027-03-03T12:00:00.000Z', '2027-03-03T13:00:00.000Z', 'Doctor'],
      // 8 March is an EXDATE; 15 March moved to 15:00 Moscow.
      ['2027-03-15T12:00:00.000Z', '2027-03-15T13:00:00.000Z', 'Weekly sync (moved)'],
      ['2027-03-22T08:00:00.000Z', '2027-03-22T09:00:00.000Z', 'Weekly sync'],
      ['2027-03-29T08:00:00.000Z', '2027-03-29T09:00:00.000Z', 'Weekly sync'],
    ]);
  });

  it('says "unknown", never "free", when the calendar cannot be read', async () => {
    const wrongPassword = new OwnerCalendar(
      { url: radicale.url, username: radicale.username, password: 'not-the-password' },
      rules,
    );
    const answer = await wrongPassword.busyBetween(
      { start: utc('2027-03-01T00:00:00Z'), end: utc('2027-03-08T00:00:00Z') },
      ZONE,
    );
    expect(answer).toEqual({ known: false, reason: expect.stringContaining('refused the login') });
    expect(JSON.stringify(answer)).not.toContain('not-the-password');

    const nobody = new OwnerCalendar({ url: 'http://127.0.0.1:9/owner/', username: 'owner', password: 'x' }, rules);
    const unreachable = await nobody.busyBetween(
      { start: utc('2027-03-01T00:00:00Z'), end: utc('2027-03-08T00:00:00Z') },
      ZONE,
    );
    expect(unreachable).toEqual({ known: false, reason: 'The calendar server could not be reached.' });
  });

  it('offers options only from free working time, away from busy times by the buffer', async () => {
    // Monday to Wednesday, afternoons (14–19 Moscow), 60 minutes.
    const limits = ['01', '02', '03'].map((d) => ({
      start: utc(`2027-03-${d}T11:00:00Z`),
      end: utc(`2027-03-${d}T16:00:00Z`),
    }));
    const answer = await calendar().options({
      limits,
      durationMinutes: 60,
      timeZone: ZONE,
      now: utc('2027-02-20T00:00:00Z'),
    });
    expect(answer.known).toBe(true);
    if (!answer.known) return;
    // Tuesday is the offsite; Wednesday's doctor 15:00–16:00 Moscow, with 15 minutes either side.
    expect(answer.windows.map((w) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()])).toEqual([
      ['2027-03-01T11:00:00.000Z', '2027-03-01T16:00:00.000Z'],
      // 14:00–14:45 Moscow is free but shorter than the meeting.
      ['2027-03-03T13:15:00.000Z', '2027-03-03T16:00:00.000Z'],
    ]);
    expect(answer.options).toEqual([
      // One per day first (Monday, Wednesday), then a second Monday one, an hour after the first.
      { startUtc: '2027-03-01T11:00:00.000Z', endUtc: '2027-03-01T12:00:00.000Z' },
      { startUtc: '2027-03-01T13:00:00.000Z', endUtc: '2027-03-01T14:00:00.000Z' },
      { startUtc: '2027-03-03T13:30:00.000Z', endUtc: '2027-03-03T14:30:00.000Z' },
    ]);
  });
});

describe('a booked meeting', () => {
  const meeting: MeetingEvent = {
    taskId: 'c0ffee00-0000-5000-a000-000000000001',
    title: 'Meeting: Owner and Anna',
    startUtc: '2027-03-01T13:00:00.000Z',
    endUtc: '2027-03-01T14:00:00.000Z',
    place: 'Zoom',
    owner: { name: 'Owner' },
    contacts: [{ name: 'Anna', telegramId: 42 }],
    sequence: 0,
  };

  it('is written to the booking calendar, makes the owner busy, and is gone once cancelled', async () => {
    const owner = new OwnerCalendar(
      { url: radicale.url, username: radicale.username, password: radicale.password, calendar: 'Personal' },
      rules,
    );
    const slot = { startUtc: meeting.startUtc, endUtc: meeting.endUtc };
    expect(await owner.slotState(slot, ZONE)).toBe('free');
    await owner.book(meeting, new Date('2027-02-20T00:00:00Z'));
    await owner.book(meeting, new Date('2027-02-20T00:00:01Z')); // a retried booking: still one event

    const stored = await owner.storedEvent(meeting.taskId);
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(stored!)).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(meetingUid(meeting.taskId));
    expect(event.startDate.toJSDate().toISOString()).toBe(meeting.startUtc);
    expect(event.location).toBe('Zoom');
    expect(await owner.slotState(slot, ZONE)).toBe('busy');
    // Its own booking does not make the slot busy for the negotiation that made it.
    expect(await owner.slotState(slot, ZONE, meeting.taskId)).toBe('free');
    const busy = await owner.busyBetween(
      { start: utc('2027-03-01T00:00:00Z'), end: utc('2027-03-02T00:00:00Z') },
      ZONE,
    );
    expect(busy.known && busy.busy.filter((b) => b.taskId === meeting.taskId)).toHaveLength(1);

    await owner.cancel(meeting.taskId);
    await owner.cancel(meeting.taskId); // already gone: still fine
    expect(await owner.storedEvent(meeting.taskId)).toBeUndefined();
    expect(await owner.slotState(slot, ZONE)).toBe('free');
  });

  it('invitations parse with ical.js to the right UTC times and method', () => {
    const request = ICAL.Component.fromString(invitationIcs(meeting, 'REQUEST', new Date()));
    expect(request.getFirstPropertyValue('method')).toBe('REQUEST');
    const event = new ICAL.Event(request.getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe(meeting.startUtc);
    expect(event.endDate.toJSDate().toISOString()).toBe(meeting.endUtc);
    const cancel = ICAL.Component.fromString(invitationIcs({ ...meeting, sequence: 1 }, 'CANCEL', new Date()));
    expect(cancel.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.getFirstSubcomponent('vevent')!.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
