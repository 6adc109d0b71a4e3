// What a negotiation with one contact and a meeting with several have in common as
// runners: the same updates (the owner's decision, a contact's report, a cancellation, a
// move), each validated against the state before it is accepted and then handled in turn,
// and the `telegram` queue's activity that sends a calendar invitation.
import { proxyActivities, setHandler } from '@temporalio/workflow';
import {
  cancelNegotiationUpdate,
  contactReportUpdate,
  ownerDecisionUpdate,
  rescheduleMeetingUpdate,
} from '../contracts/negotiation.ts';
import type { TelegramActivities } from '../contracts/telegram.ts';
import type { NegotiationEvent } from './negotiation-rules.ts';

export interface NegotiationEvents {
  /** Throws, before the update is accepted, when the state does not allow the event now. */
  validate(event: NegotiationEvent): void;
  /** Handles an accepted event in its turn and answers with the verdict. */
  handle(event: NegotiationEvent): Promise<string>;
}

export function setNegotiationUpdateHandlers(events: NegotiationEvents): void {
  setHandler(ownerDecisionUpdate, (decision) => events.handle({ kind: 'owner', decision }), {
    validator: (decision) => events.validate({ kind: 'owner', decision }),
  });
  setHandler(contactReportUpdate, (report) => events.handle({ kind: 'contact', report }), {
    validator: (report) => events.validate({ kind: 'contact', report }),
  });
  setHandler(cancelNegotiationUpdate, ({ reason }) => events.handle({ kind: 'cancel', reason }), {
    validator: ({ reason }) => events.validate({ kind: 'cancel', reason }),
  });
  setHandler(rescheduleMeetingUpdate, ({ slot }) => events.handle({ kind: 'reschedule', slot }), {
    validator: ({ slot }) => events.validate({ kind: 'reschedule', slot }),
  });
}

/** The live Telegram connection's file send, for the invitations (.ics) of a booked meeting. */
export function invitationSender(taskQueue: string): Pick<TelegramActivities, 'sendFile'> {
  return proxyActivities<TelegramActivities>({
    taskQueue,
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 10 },
  });
}
