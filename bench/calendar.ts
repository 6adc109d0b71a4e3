// What reading the owner's calendar costs, against a real CalDAV server (Radicale, from
// .tools/radicale as in the tests): a busy account (two calendars; single events, weekly
// recurring events, all-day events over four weeks), then the two reads a meeting makes:
// the options for a week (REPORT on every calendar, expand, subtract) and the re-check of
// one slot before it is booked. Latency p50/p95 over BENCH_CALENDAR_RUNS runs.
//   npm run bench:calendar          (BENCH_CALENDAR_EVENTS=300 BENCH_CALENDAR_RUNS=30)
import { performance } from 'node:perf_hooks';
import { OwnerCalendar } from '../activities/calendar/owner-calendar.ts';
import { startRadicale } from '../tests/support/radicale.ts';
import { percentile, runBench } from './harness.ts';

const EVENTS = Number(process.env.BENCH_CALENDAR_EVENTS ?? 300);
const RUNS = Number(process.env.BENCH_CALENDAR_RUNS ?? 30);
const ZONE = 'Europe/Moscow';
const DAY = 24 * 3600_000;

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');

function ics(uid: string, lines: string[]): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//bench//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
  ]
    .concat(lines, ['END:VEVENT', 'END:VCALENDAR', ''])
    .join('\r\n');
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

runBench(async () => {
  const radicale = await startRadicale();
  try {
    const calendars = [await radicale.makeCalendar('work', 'Work'), await radicale.makeCalendar('home', 'Home')];
    const start = Math.ceil(Date.now() / DAY) * DAY;
    const filling = performance.now();
    for (let i = 0; i < EVENTS; i++) {
      // Spread over four weeks, 07:00–20:00 UTC, 30–90 minutes each.
      const at = start + (i % 28) * DAY + (7 + ((i * 7) % 13)) * 3600_000;
      const lines = [`DTSTART:${stamp(at)}`, `DTEND:${stamp(at + (30 + (i % 3) * 30) * 60_000)}`, `SUMMARY:Event ${i}`];
      await radicale.putEvent(calendars[i % 2]!, `e${i}`, ics(`e${i}`, lines));
    }
    for (let i = 0; i < 10; i++) {
      const at = start + i * DAY + 9 * 3600_000;
      const lines = [
        `DTSTART:${stamp(at)}`,
        `DTEND:${stamp(at + 3600_000)}`,
        'RRULE:FREQ=WEEKLY',
        `SUMMARY:Weekly ${i}`,
      ];
      await radicale.putEvent(calendars[0]!, `w${i}`, ics(`w${i}`, lines));
    }
    for (let i = 0; i < 20; i++) {
      const day = start + i * 3 * DAY;
      const lines = [`DTSTART;VALUE=DATE:${date(day)}`, `DTEND;VALUE=DATE:${date(day + DAY)}`, `SUMMARY:All day ${i}`];
      await radicale.putEvent(calendars[1]!, `d${i}`, ics(`d${i}`, lines));
    }
    const fillMs = performance.now() - filling;

    const calendar = new OwnerCalendar(
      { url: radicale.url, username: radicale.username, password: radicale.password, calendar: 'Work' },
      { workingHours: { start: 10, end: 19 }, bufferMinutes: 15 },
    );
    const week = [{ start: start + DAY, end: start + 8 * DAY }];
    let options = 0;
    const optionsTime = await timed(RUNS, async () => {
      const answer = await calendar.options({ limits: week, durationMinutes: 60, timeZone: ZONE, now: start });
      if (!answer.known) throw new Error(answer.reason);
      options = answer.options.length;
    });
    const slot = { startUtc: new Date(start + 2 * DAY + 12 * 3600_000).toISOString(), endUtc: '' };
    slot.endUtc = new Date(Date.parse(slot.startUtc) + 3600_000).toISOString();
    const recheckTime = await timed(RUNS, () => calendar.slotState(slot, ZONE));

    const total = EVENTS + 10 + 20;
    console.log(
      `calendar: ${total} events (${EVENTS} single, 10 weekly, 20 all-day) on 2 calendars, written in ${(fillMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `options for a week (${options} offered): p50 ${optionsTime.p50.toFixed(0)} ms, p95 ${optionsTime.p95.toFixed(0)} ms over ${RUNS} runs`,
    );
    console.log(`re-check of one slot: p50 ${recheckTime.p50.toFixed(0)} ms, p95 ${recheckTime.p95.toFixed(0)} ms`);
  } finally {
    radicale.stop();
  }
});
