// The clock of Temporal's time-skipping test server, for tests that must not depend on
// the hour the suite happens to run at: scenarios start at chosen local hours of the
// server's clock (never the wall clock's), and absolute times are taken from it.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { localDateInZone, zonedToUtc } from '../../pure/time-zones.ts';

const DAY = 24 * 3600_000;

/** The next instant after `afterMs` when it is `hhmm` in `zone`. */
export function nextLocalTime(hhmm: string, afterMs: number, zone: string): number {
  const today = zonedToUtc(`${localDateInZone(afterMs, zone)}T${hhmm}`, zone).getTime();
  return today > afterMs ? today : zonedToUtc(`${localDateInZone(afterMs + DAY, zone)}T${hhmm}`, zone).getTime();
}

/** Moves the server's clock forward to `ms` (no-op if it is already later). */
export async function skipTo(env: TestWorkflowEnvironment, ms: number): Promise<void> {
  const gap = ms - (await env.currentTimeMs());
  if (gap > 0) await env.sleep(gap);
}

/** Moves the server's clock to the next time it is `hour`:00 in `zone`; returns that instant. */
export async function skipToLocalHour(env: TestWorkflowEnvironment, hour: number, zone: string): Promise<number> {
  const at = nextLocalTime(`${String(hour).padStart(2, '0')}:00`, await env.currentTimeMs(), zone);
  await skipTo(env, at);
  return at;
}

/** The UTC calendar date `days` after `ms`, as YYYY-MM-DD. */
export function dateAfter(ms: number, days: number): string {
  return new Date(ms + days * DAY).toISOString().slice(0, 10);
}
