// What a model is told when a tool fails, and which failures end a call at once: units.
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { failureForGood } from '../activities/tools/tool-failures.ts';
import { FailureTypes } from '../contracts/domain.ts';
import { storableText, storableValue } from '../pure/text.ts';
import { TOOL_UNAVAILABLE, toolFailureText } from '../workflows/outage-policies.ts';

const prismaError = (code: string, originalCode?: string) =>
  Object.assign(new Error('\nInvalid `prisma.user.upsert()` invocation in\n/app/activities/x.ts:12:3\n'), {
    code,
    meta: originalCode ? { driverAdapterError: { cause: { originalCode } } } : {},
  });

describe('tool failures', () => {
  it('ends a call at once only for data the database refuses; outages and bugs are retried', () => {
    expect(failureForGood(prismaError('P2002'))?.nonRetryable).toBe(true);
    expect(failureForGood(prismaError('P2010', '22P05'))?.type).toBe(FailureTypes.toolFailed);
    const adapterError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      cause: { originalCode: '22021' },
    });
    expect(failureForGood(adapterError)?.message).toMatch(/^The tool could not store this/);
    expect(failureForGood(prismaError('P1001'))).toBeUndefined(); // database unreachable
    expect(failureForGood(prismaError('P2024'))).toBeUndefined(); // pool timeout
    expect(failureForGood(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeUndefined();
  });

  it('tells the model one clean sentence: ours as written, anything else summarised', () => {
    const ours = ApplicationFailure.create({
      type: FailureTypes.toolFailed,
      message: 'The tool could not store this.',
    });
    const activityFailure = (cause: Error) =>
      new ActivityFailure('failed', 'executeTool', '1', RetryState.MAXIMUM_ATTEMPTS_REACHED, 'worker', cause);
    expect(toolFailureText(activityFailure(ours))).toBe('The tool could not store this.');
    const raw = ApplicationFailure.create({
      message: prismaError('P1001').message,
      type: 'PrismaClientKnownRequestError',
    });
    expect(toolFailureText(activityFailure(raw))).toBe(TOOL_UNAVAILABLE);
    expect(TOOL_UNAVAILABLE).not.toMatch(/prisma|\.ts|SELECT|\//i);
  });

  it('makes text storable: NUL and lone surrogates replaced, the rest kept', () => {
    expect(storableText('a\u0000b\uD800c — ok 😀')).toBe('a\uFFFDb\uFFFDc — ok 😀');
    expect(storableValue({ text: 'x\u0000', list: ['\uDC00'], n: 1, nested: { 'k\u0000': true } })).toEqual({
      text: 'x\uFFFD',
      list: ['\uFFFD'],
      n: 1,
      nested: { 'k\uFFFD': true },
    });
  });
});
