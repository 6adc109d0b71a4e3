// The owner's free time for a meeting, from their busy times: the stated limits, cut to
// working hours in the owner's zone, minus every busy interval widened by the buffer.
// Pure interval arithmetic (instants in ms), so rules and tests need no calendar.
import type { Slot } from '../contracts/negotiation.ts';
import { localDateInZone, zonedToUtc } from './time-zones.ts';

export interface Interval {
  start: number;
  end: number;
}

export interface FreeTimeRequest {
  /** Where the owner said the meeting may go ("next week, afternoons"), as instants. */
  limits: Interval[];
  busy: Interval[];
  timeZone: string;
  /** Local hours [start, end) meetings may be in. */
  workingHours: { start: number; end: number };
  bufferMinutes: number;
  durationMinutes: number;
  /** Nothing before this instant (now) is free. */
  notBefore: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Free windows long enough for the meeting, in time order. */
export function freeWindows(request: FreeTimeRequest): Interval[] {
  const { limits, busy, timeZone, workingHours, bufferMinutes, durationMinutes, notBefore } = request;
  const buffer = bufferMinutes * MINUTE;
  const working = limits.flatMap((limit) => workingIntervals(limit, timeZone, workingHours));
  const open = intersect(working, [{ start: notBefore, end: Infinity }]);
  const blocked = busy.map((b) => ({ start: b.start - buffer, end: b.end + buffer }));
  return subtract(open, blocked).filter((w) => w.end - w.start >= durationMinutes * MINUTE);
}

/**
 * Up to `count` concrete options from the free windows: starts on the half hour, one per
 * local day first (people like a choice of days), then more from the same days.
 */
export function meetingOptions(windows: Interval[], durationMinutes: number, timeZone: string, count = 3): Slot[] {
  const length = durationMinutes * MINUTE;
  const halfHour = 30 * MINUTE;
  const candidates: Interval[] = [];
  for (const window of windows) {
    // From the window's start, then an hour after each candidate ends: options that do not overlap.
    for (
      let start = Math.ceil(window.start / halfHour) * halfHour;
      start + length <= window.end;
      start = Math.ceil((start + length + 60 * MINUTE) / halfHour) * halfHour
    ) {
      candidates.push({ start, end: start + length });
    }
  }
  const days = new Set<string>();
  const firstOfDay = candidates.filter((c) => {
    const day = localDateInZone(c.start, timeZone);
    if (days.has(day)) return false;
    days.add(day);
    return true;
  });
  const chosen = [...firstOfDay, ...candidates.filter((c) => !firstOfDay.includes(c))].slice(0, count);
  return chosen
    .sort((a, b) => a.start - b.start)
    .map((c) => ({ startUtc: new Date(c.start).toISOString(), endUtc: new Date(c.end).toISOString() }));
}

/** Whether `slot` overlaps any busy interval widened by the buffer. */
export function overlapsBusy(slot: Slot, busy: Interval[], bufferMinutes: number): boolean {
  const start = Date.parse(slot.startUtc);
  const end = Date.parse(slot.endUtc);
  const buffer = bufferMinutes * MINUTE;
  return busy.some((b) => b.start - buffer < end && b.end + buffer > start);
}

/** The working hours of every local day the limit touches, clipped to the limit. */
function workingIntervals(limit: Interval, timeZone: string, hours: { start: number; end: number }): Interval[] {
  const result: Interval[] = [];
  // Noon steps never skip or repeat a local date, whatever the daylight-saving shift.
  const firstDay = localDateInZone(limit.start, timeZone);
  for (let noon = zonedToUtc(`${firstDay}T12:00`, timeZone).getTime(); noon - DAY / 2 < limit.end; noon += DAY) {
    const day = localDateInZone(noon, timeZone);
    const start = zonedToUtc(`${day}T${hh(hours.start)}:00`, timeZone).getTime();
    const end =
      hours.end === 24
        ? zonedToUtc(`${localDateInZone(noon + DAY, timeZone)}T00:00`, timeZone).getTime()
        : zonedToUtc(`${day}T${hh(hours.end)}:00`, timeZone).getTime();
    const clipped = { start: Math.max(start, limit.start), end: Math.min(end, limit.end) };
    if (clipped.end > clipped.start) result.push(clipped);
  }
  return result;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  return a.flatMap((x) =>
    b.map((y) => ({ start: Math.max(x.start, y.start), end: Math.min(x.end, y.end) })).filter((i) => i.end > i.start),
  );
}

function subtract(open: Interval[], blocked: Interval[]): Interval[] {
  const sorted = [...blocked].sort((x, y) => x.start - y.start);
  return open
    .flatMap((window) => {
      const pieces: Interval[] = [];
      let cursor = window.start;
      for (const b of sorted) {
        if (b.end <= cursor || b.start >= window.end) continue;
        if (b.start > cursor) pieces.push({ start: cursor, end: b.start });
        cursor = Math.max(cursor, b.end);
      }
      if (cursor < window.end) pieces.push({ start: cursor, end: window.end });
      return pieces;
    })
    .sort((x, y) => x.start - y.start);
}

const hh = (hour: number) => String(hour).padStart(2, '0');
