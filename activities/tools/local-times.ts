// The one reader of the local dates and times tools receive ("2027-02-28", "2027-02-28T14:30"
// in someone's time zone), on Luxon (IANA zones, daylight saving). An impossible date or
// time is refused with a sentence naming the bad part, never rolled over into another day
// (2027-02-30 is not 2 March); a time that does not exist (skipped when the clocks go
// forward) is refused; a time that happens twice (clocks go back) means the first one.
import { DateTime } from 'luxon';
import { NeedsClarification } from './types.ts';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
/** Years a person could mean for a task, reminder or meeting. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2999;

/** A local date or date-time the caller cannot use; its message is one sentence for the model. */
export class InvalidLocalTime extends NeedsClarification {}

/**
 * `text` (YYYY-MM-DD or YYYY-MM-DDTHH:MM) in `zone`, as an instant. A bare date means
 * `dateOnlyAt` on that day (e.g. "23:59" for a due date, "00:00" for a first day).
 */
export function parseLocalTime(text: string, zone: string, dateOnlyAt = '00:00'): Date {
  const m = LOCAL.exec(text.trim());
  if (!m) throw new InvalidLocalTime(`"${text}" is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM.`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute] = m[4] !== undefined ? [Number(m[4]), Number(m[5])] : dateOnlyAt.split(':').map(Number);
  const bad = (part: string) => new InvalidLocalTime(`"${text}" is not a real date and time: ${part}.`);
  if (year < FIRST_YEAR || year > LAST_YEAR) throw bad(`the year ${m[1]} is out of range (${FIRST_YEAR}–${LAST_YEAR})`);
  if (month < 1 || month > 12) throw bad(`there is no month ${m[2]} (months are 01–12)`);
  const daysInMonth = DateTime.utc(year, month).daysInMonth!;
  if (day < 1 || day > daysInMonth) {
    throw bad(`there is no day ${m[3]} in ${MONTHS[month - 1]} ${year} (it has ${daysInMonth} days)`);
  }
  if (hour! > 23) throw bad(`there is no hour ${m[4]} (hours are 00–23)`);
  if (minute! > 59) throw bad(`there is no minute ${m[5]} (minutes are 00–59)`);

  const wanted = { year, month, day, hour, minute };
  const local = DateTime.fromObject(wanted, { zone });
  if (!local.isValid) throw new InvalidLocalTime(`"${zone}" is not a time zone Jobs knows (use an IANA name).`);
  // Luxon moves a time in the spring-forward gap past it; that time never shows on a clock there.
  if (local.hour !== hour || local.minute !== minute) {
    throw new InvalidLocalTime(
      `${text} does not exist in ${zone}: the clocks jump forward then (daylight saving). Choose a time before or after.`,
    );
  }
  // A time shown twice (the clocks go back): the first of the two.
  const first = local
    .getPossibleOffsets()
    .map((d) => d.toMillis())
    .sort((a, b) => a - b)[0];
  return new Date(first ?? local.toMillis());
}
