// What becomes of an error thrown while a tool runs. The model must get one clear
// sentence, never a stack trace, a file path or SQL; an error that can heal (PostgreSQL
// or Temporal unreachable, a dropped connection) is thrown on so that Temporal retries the
// call with backoff and rides out the outage; one that cannot (the data itself is refused)
// ends the call at once with a sentence the model can pass on.
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../contracts/domain.ts';

/** Prisma's error codes for requests that will fail the same way every time (P2xxx, but not the transient ones). */
const TRANSIENT_PRISMA_CODES = new Set(['P2024', 'P2028', 'P2034']);
/** SQLSTATE classes of data the database refuses: 22 data exception, 23 integrity constraint. */
const PERMANENT_SQLSTATE = /^(22|23)/;

export function toolFailedForGood(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureTypes.toolFailed, message, nonRetryable: true });
}

/**
 * A non-retryable failure for errors that cannot heal; undefined for everything else
 * (outages, timeouts, and programming errors, which a deployed fix heals on a later attempt).
 */
export function failureForGood(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, meta } = err as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  };
  const sqlState =
    (err as { cause?: { originalCode?: string } }).cause?.originalCode ?? meta?.driverAdapterError?.cause?.originalCode;
  const refusedData =
    (typeof code === 'string' && /^P2\d{3}$/.test(code) && !TRANSIENT_PRISMA_CODES.has(code)) ||
    (typeof sqlState === 'string' && PERMANENT_SQLSTATE.test(sqlState));
  return refusedData
    ? toolFailedForGood('The tool could not store this (the database refused the data); nothing was changed.')
    : undefined;
}
