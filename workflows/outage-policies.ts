// How the session's tool calls ride out outages, and what the model is told when one
// fails for good. No Node imports (workflow bundle).
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import { FailureTypes } from '../contracts/domain.ts';

/**
 * Tool calls touch PostgreSQL, Temporal and MCP servers. Backoff from 1 s to 1 min over
 * 16 attempts rides out about ten minutes of a database or Temporal outage (1+2+…+32 s,
 * then a minute apart) instead of giving up within seconds. The call heartbeats, so a
 * crashed worker's call is retried within 30 s, while a slow MCP call (MCP_TOOL_TIMEOUT_MS,
 * at most 10 minutes) is not cut. Only data the database refuses ends a call at once.
 */
export const TOOL_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '11 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 16,
    nonRetryableErrorTypes: [FailureTypes.toolFailed],
  },
};

/** Said to the model when a tool call failed for good: never a stack trace, a path or SQL. */
export const TOOL_UNAVAILABLE =
  'The tool could not be run: a service it needs stayed unavailable. Nothing is known to have changed; say so, and offer to try again later.';

/** One clear sentence for the model about a failed tool call. */
export function toolFailureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  // Our own failures carry a sentence written for the model; everything else is summarised.
  if (cause instanceof ApplicationFailure && cause.type === FailureTypes.toolFailed && cause.message) {
    return cause.message;
  }
  return TOOL_UNAVAILABLE;
}
