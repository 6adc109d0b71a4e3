// Busy times from calendar objects (iCalendar text, as CalDAV returns them), parsed and
// expanded by ical.js: recurring events expanded (exceptions and EXDATEs honoured),
// all-day events as whole dates in the owner's zone, private events counted like any
// other, cancelled and transparent ("free") events and occurrences left out.
import ICAL from 'ical.js';
import type { Interval } from '../../pure/free-time.ts';
import { isTimeZone, zonedToUtc } from '../../pure/time-zones.ts';

/** Occurrences expanded per recurring event at most: a daily event for years is cut off here. */
const MAX_OCCURRENCES = 5000;
const DAY = 24 * 3600_000;

export interface BusyTime extends Interval {
  summary: string;
  /** The negotiation that booked this event (X-JOBS-NEGOTIATION), if the assistant did. */
  taskId?: string;
}

/** Every busy interval of `icsTexts` (one calendar object each) that overlaps `range`. */
export function busyTimes(icsTexts: string[], range: Interval, ownerTimeZone: string): BusyTime[] {
  const busy: BusyTime[] = [];
  for (const text of icsTexts) {
    const root = new ICAL.Component(ICAL.parse(text));
    const vevents = root.getAllSubcomponents('vevent');
    const exceptions = vevents.filter((v) => v.hasProperty('recurrence-id'));
    for (const master of vevents.filter((v) => !v.hasProperty('recurrence-id'))) {
      const uid = master.getFirstPropertyValue('uid');
      const event = new ICAL.Event(master, {
        exceptions: exceptions.filter((e) => e.getFirstPropertyValue('uid') === uid),
      });
      busy.push(...occurrencesOf(event, range, ownerTimeZone));
    }
  }
  return busy.sort((a, b) => a.start - b.start);
}

function occurrencesOf(event: ICAL.Event, range: Interval, zone: string): BusyTime[] {
  if (!event.isRecurring()) {
    const span = spanOf(event, event.startDate, event.endDate, zone);
    return span && overlaps(span, range) ? [span] : [];
  }
  const found: BusyTime[] = [];
  const expansion = event.iterator();
  for (let i = 0, next = expansion.next(); next && i < MAX_OCCURRENCES; i++, next = expansion.next()) {
    const details = event.getOccurrenceDetails(next);
    const span = spanOf(details.item, details.startDate, details.endDate, zone);
    if (!span) continue;
    if (span.start >= range.end) break;
    if (overlaps(span, range)) found.push(span);
  }
  return found;
}

/** The occurrence as a busy interval, or undefined when it does not make the owner busy. */
function spanOf(item: ICAL.Event, start: ICAL.Time, end: ICAL.Time, zone: string): BusyTime | undefined {
  const status = String(item.component.getFirstPropertyValue('status') ?? '').toUpperCase();
  const transparency = String(item.component.getFirstPropertyValue('transp') ?? '').toUpperCase();
  if (status === 'CANCELLED' || transparency === 'TRANSPARENT') return undefined;
  const tzid = item.component.getFirstProperty('dtstart')?.getParameter('tzid');
  const from = instant(start, typeof tzid === 'string' ? tzid : undefined, zone);
  let to = end ? instant(end, typeof tzid === 'string' ? tzid : undefined, zone) : from;
  // No end: a date lasts the day, a date-time is a moment (RFC 5545 3.6.1).
  if (to <= from && start.isDate) to = from + DAY;
  const taskId = item.component.getFirstPropertyValue('x-jobs-negotiation');
  return {
    start: from,
    end: Math.max(to, from),
    summary: String(item.summary ?? ''),
    ...(taskId && { taskId: String(taskId) }),
  };
}

/**
 * The instant of an iCalendar time: dates start at midnight in the owner's zone; times in
 * UTC or a zone the object defines (VTIMEZONE) are exact; a TZID without a definition is
 * read as the IANA zone it names (Intl's data); floating times are the owner's local time.
 */
function instant(time: ICAL.Time, tzid: string | undefined, ownerZone: string): number {
  const local = `${time.year}-${pad(time.month)}-${pad(time.day)}T${pad(time.hour)}:${pad(time.minute)}:${pad(time.second)}`;
  if (time.isDate) return zonedToUtc(`${local.slice(0, 10)}T00:00`, ownerZone).getTime();
  const zone = time.zone;
  if (zone && (zone === ICAL.Timezone.utcTimezone || zone.component)) return time.toUnixTime() * 1000;
  return zonedToUtc(local, tzid && isTimeZone(tzid) ? tzid : ownerZone).getTime();
}

function overlaps(a: Interval, b: Interval): boolean {
  return a.start < b.end && a.end > b.start;
}

const pad = (n: number) => String(n).padStart(2, '0');
