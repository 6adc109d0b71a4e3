// What a negotiation asks of the world, as the workflow calls it (both the runner and the
// loop it replaced use the same activities and options).
import { proxyActivities } from '@temporalio/workflow';
import type { CalendarActivities } from '../contracts/calendar.ts';
import type { NegotiationActivities } from '../contracts/negotiation.ts';

export const negotiationActivities = proxyActivities<NegotiationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** The owner's calendar: a few attempts, then the negotiation goes on without it (and says so). */
export const calendarActivities = proxyActivities<CalendarActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 4 },
});
