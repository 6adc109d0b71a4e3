// The one parser of local dates and times the tools use: real calendar dates only,
// daylight-saving gaps refused, overlaps read as the first occurrence.
import { describe, expect, it } from 'vitest';
import { InvalidLocalTime, parseLocalTime } from '../activities/tools/local-times.ts';

const refusal = (text: string, zone = 'Europe/Berlin') => {
  try {
    parseLocalTime(text, zone);
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidLocalTime);
    return (err as Error).message;
  }
  throw new Error(`${text} was accepted`);
};

describe('parseLocalTime', () => {
  it('reads real dates and times in the given zone', () => {
    expect(parseLocalTime('2026-11-24T14:00', 'Europe/Moscow').toISOString()).toBe('2026-11-24T11:00:00.000Z');
    expect(parseLocalTime('2028-02-29', 'UTC').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(parseLocalTime('2027-02-28', 'Europe/Berlin', '23:59').toISOString()).toBe('2027-02-28T22:59:00.000Z');
  });

  it('refuses impossible dates, naming the bad part, instead of rolling them over', () => {
    expect(refusal('2027-13-45T25:61')).toMatch(/no month 13/);
    expect(refusal('2027-02-30')).toMatch(/no day 30 in February 2027 \(it has 28 days\)/);
    expect(refusal('2026-04-31T10:00')).toMatch(/no day 31 in April 2026/);
    expect(refusal('0000-00-00')).toMatch(/year 0000 is out of range/);
    expect(refusal('2027-99-99T99:99')).toMatch(/no month 99/);
    expect(refusal('2027-01-10T24:00')).toMatch(/no hour 24/);
    expect(refusal('2027-01-10T10:60')).toMatch(/no minute 60/);
    expect(refusal('next tuesday')).toMatch(/not a date: use YYYY-MM-DD/);
    expect(refusal('2027-01-10T10:00', 'Mars/Olympus')).toMatch(/not a time zone/);
  });

  it('refuses a time skipped when the clocks go forward, and reads a repeated one as the first', () => {
    expect(refusal('2026-03-29T02:30')).toMatch(/does not exist in Europe\/Berlin: the clocks jump forward/);
    // 25 Oct 2026, 02:30 in Berlin happens at 00:30 UTC (summer time) and again at 01:30 UTC.
    expect(parseLocalTime('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(parseLocalTime('2026-10-25T03:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });
});
