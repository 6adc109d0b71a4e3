// The heartbeat's plain report, shared by the workflow (Claude unreachable) and the
// activity (Claude's answer unreadable). Pure (workflow bundle).
import type { HeartbeatFact } from '../contracts/heartbeat.ts';

/** The facts as they are, for when Claude cannot judge them: nothing is hidden. */
export function plainHeartbeatReport(facts: HeartbeatFact[]): string {
  return `Things that need your attention:\n${facts.map((f) => `- ${f.text}`).join('\n')}`;
}
