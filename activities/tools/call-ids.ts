// Ids made from the tool call's id (`<session>/<tool_use id>`), so that a retried call
// (its first completion lost to a crash or an outage) names the same row, workflow or
// schedule as the first attempt and finds what that attempt made instead of making it twice.
import { createHash } from 'node:crypto';

/** A UUID (version-5 layout) for the `kind` of thing one tool call makes. */
export function rowIdFor(kind: string, callId: string): string {
  const hex = createHash('sha256').update(`${kind}/${callId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
