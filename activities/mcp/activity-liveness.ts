// Heartbeats and cancellation of the running activity, for a long MCP call: a tool that
// reports progress keeps the activity alive (its heartbeat timeout notices a dead worker
// within seconds), and a cancelled activity cancels the call. Outside an activity (unit
// use) there is nothing to report to.
import { Context } from '@temporalio/activity';

export function activityLiveness(): { alive(progress?: string): void; signal?: AbortSignal } {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return { alive: () => undefined };
  }
  return { alive: (progress) => context.heartbeat(progress), signal: context.cancellationSignal };
}
