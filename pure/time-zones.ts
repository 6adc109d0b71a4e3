// Time zone arithmetic with Intl only (IANA data, daylight saving included). Pure and
// deterministic for a given instant, so workflows use it too.

function partsInZone(utcMs: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds. */
function offsetMs(utcMs: number, timeZone: string): number {
  const p = partsInZone(utcMs, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time ("2026-03-29T12:00") in `timeZone`, as an instant. */
export function zonedToUtc(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local.trim());
  if (!m) throw new RangeError(`Not a local date and time (YYYY-MM-DDTHH:MM): "${local}"`);
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +(m[6] ?? 0));
  // Two passes settle the offset across a daylight-saving change.
  let guess = asUtc - offsetMs(asUtc, timeZone);
  guess = asUtc - offsetMs(guess, timeZone);
  return new Date(guess);
}

/** "Tue 24 Nov 2026, 14:00 (Europe/Moscow)" */
export function formatInZone(utc: Date | string, timeZone: string): string {
  const date = typeof utc === 'string' ? new Date(utc) : utc;
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${text} (${timeZone})`;
}

/** A span stated in both people's zones, e.g. for a meeting slot. */
export function formatSpanInZones(startUtc: string, endUtc: string, zones: string[]): string {
  return [...new Set(zones)]
    .map((zone) => `${formatInZone(startUtc, zone)} – ${formatInZone(endUtc, zone).replace(/^.*, /, '')}`)
    .join(' = ');
}

export function hourInZone(utcMs: number, timeZone: string): number {
  return partsInZone(utcMs, timeZone).hour;
}

/**
 * The earliest instant at or after `utcMs` that is daytime (from `dayStartHour` to
 * `dayEndHour`, which may wrap past midnight) in `timeZone`: nobody is nudged at night.
 */
export function nextDaytime(utcMs: number, timeZone: string, dayStartHour = 9, dayEndHour = 21): number {
  const awake = (hour: number) =>
    dayStartHour <= dayEndHour ? hour >= dayStartHour && hour < dayEndHour : hour >= dayStartHour || hour < dayEndHour;
  if (dayStartHour === dayEndHour) return utcMs;
  let t = utcMs;
  for (let i = 0; i < 48 * 4; i++) {
    if (awake(hourInZone(t, timeZone))) return t;
    // Step to the next quarter hour, so the day starts on the hour rather than a few minutes past.
    t = (Math.floor(t / 900_000) + 1) * 900_000;
  }
  return utcMs;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar date at `utcMs` in `timeZone`, as YYYY-MM-DD. */
export function localDateInZone(utcMs: number, timeZone: string): string {
  const p = partsInZone(utcMs, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}
