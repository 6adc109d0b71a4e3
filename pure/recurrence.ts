// Weekly recurrences in a person's local time ("every weekday at 09:00 Europe/Berlin"):
// the next occurrences, and how a recurrence reads in words. Pure (workflow bundle too).
import { localDateInZone, zonedToUtc } from './time-zones.ts';

export interface WeeklyRecurrence {
  /** 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  /** Local time of day, "HH:MM" (or "HH:MM:SS"). */
  time: string;
  timeZone: string;
}

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const DAY = 24 * 3600_000;

/** The next `count` occurrences strictly after `afterMs`, as instants (daylight saving included). */
export function nextOccurrences(r: WeeklyRecurrence, afterMs: number, count: number): Date[] {
  const out: Date[] = [];
  if (r.weekdays.length === 0) return out;
  // Start a day early: the local date at `afterMs` may be behind UTC's.
  for (let i = -1; out.length < count && i < 8 * count + 8; i++) {
    const date = localDateInZone(afterMs + i * DAY, r.timeZone);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (!r.weekdays.includes(weekday)) continue;
    const at = zonedToUtc(`${date}T${r.time}`, r.timeZone);
    if (at.getTime() > afterMs && !out.some((d) => d.getTime() === at.getTime())) out.push(at);
  }
  return out;
}

/** Occurrences in (fromMs, toMs]: how many runs a downtime swallowed. */
export function occurrencesBetween(r: WeeklyRecurrence, fromMs: number, toMs: number): number {
  let n = 0;
  let after = fromMs;
  for (;;) {
    const [next] = nextOccurrences(r, after, 1);
    if (!next || next.getTime() > toMs) return n;
    n += 1;
    after = next.getTime();
  }
}

/** "every weekday (Monday to Friday) at 09:00", "every Monday and Thursday at 18:30". */
export function describeRecurrence(r: WeeklyRecurrence): string {
  const days = [...new Set(r.weekdays)].sort((a, b) => a - b);
  const at = `at ${r.time.slice(0, 5)}`;
  if (days.length === 7) return `every day ${at}`;
  if (days.join() === '1,2,3,4,5') return `every weekday (Monday to Friday) ${at}`;
  if (days.join() === '0,6') return `every weekend day ${at}`;
  const names = days.map((d) => DAY_NAMES[d]);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `every ${list} ${at}`;
}
