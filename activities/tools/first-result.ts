// The first answer of a tool call that succeeded, kept with its audit row under the
// call's id: when Temporal retries a call whose completion was lost (a worker killed
// after the side effect, a database outage while reporting back), the retry returns
// that answer instead of acting twice.
import type { Db } from '../../infra/db.ts';

export async function firstResultOf(db: Db, callId: string): Promise<string | undefined> {
  const row = await db.toolCall.findUnique({ where: { callId }, select: { result: true } });
  return row?.result ?? undefined;
}
