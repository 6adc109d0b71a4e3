// What a negotiation asks of the world, as the workflow calls it (both the runner and the
// loop it replaced use the same activities and options).
import { proxyActivities } from '@temporalio/workflow';
import type { NegotiationActivities } from '../contracts/negotiation.ts';

export const negotiationActivities = proxyActivities<NegotiationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
