// The negotiation loop as it ran before its rules became decide() (negotiation-rules.ts).
// Negotiations started before that change finish here, on the commands they started with
// (they have no DECIDE_PATCH marker; see negotiation.ts), so their histories replay. Their
// signals are still handled, and the new updates are accepted and queued the same way.
// Remove this file after deprecatePatch(DECIDE_PATCH), once no such negotiation runs
// (NEGOTIATION_DEADLINE_HOURS after the deploy at the latest).
import * as wf from '@temporalio/workflow';
import { nextDaytime } from '../pure/time-zones.ts';
import {
  cancelNegotiationUpdate,
  contactReportUpdate,
  isFinished,
  LegacySearchAttributes,
  LegacySignals,
  negotiationStatusQuery,
  ownerDecisionUpdate,
  SearchAttributes,
  type ContactReport,
  type NegotiationInput,
  type NegotiationResult,
  type NegotiationStatus,
  type NegotiationView,
  type OwnerDecision,
} from '../contracts/negotiation.ts';
import { negotiationActivities } from './negotiation-activities.ts';
import { fitsWindows } from './negotiation-rules.ts';
import { NegotiationWording } from './negotiation-wording.ts';

const { recordConversation, instructContact, tellOwner } = negotiationActivities;

type LegacyEvent =
  | { kind: 'contact'; update: ContactReport }
  | { kind: 'owner'; decision: OwnerDecision }
  | { kind: 'cancel'; reason?: string };

const QUEUED = 'Passed on; the conversation decides what happens next.';

export async function legacyNegotiation(input: NegotiationInput): Promise<NegotiationView> {
  const { taskId, meeting, timing } = input;
  const events: LegacyEvent[] = [];
  const state: NegotiationView = {
    taskId,
    status: 'pending',
    type: input.type,
    contactId: input.contactId,
    nudges: 0,
    lastEvent: 'created',
  };
  let contactTimeZone = input.contactTimeZone;
  let messages = 0;

  wf.setHandler(LegacySignals.contactUpdate, (update) => void events.push({ kind: 'contact', update }));
  wf.setHandler(LegacySignals.ownerDecision, (decision) => void events.push({ kind: 'owner', decision }));
  wf.setHandler(LegacySignals.cancel, ({ reason }) => void events.push({ kind: 'cancel', reason }));
  const stillOpen = () => {
    if (isFinished(state.status)) throw new Error(`Conversation ${taskId} is already ${state.status}.`);
  };
  wf.setHandler(contactReportUpdate, (update) => (events.push({ kind: 'contact', update }), QUEUED), {
    validator: (_update) => stillOpen(),
  });
  wf.setHandler(ownerDecisionUpdate, (decision) => (events.push({ kind: 'owner', decision }), QUEUED), {
    validator: (_decision) => stillOpen(),
  });
  wf.setHandler(cancelNegotiationUpdate, ({ reason }) => (events.push({ kind: 'cancel', reason }), QUEUED), {
    validator: (_cancel) => stillOpen(),
  });
  wf.setHandler(negotiationStatusQuery, () => state);

  const say = () => new NegotiationWording(input, contactTimeZone);

  async function setStatus(status: NegotiationStatus, lastEvent: string, result?: NegotiationResult) {
    state.status = status;
    state.lastEvent = lastEvent;
    if (result) state.result = result;
    if (input.searchAttributes !== false) {
      wf.upsertSearchAttributes([{ key: LegacySearchAttributes.status, value: status }]);
    }
    wf.setCurrentDetails(`**${status}** — ${lastEvent}`);
    await recordConversation({ taskId, status, result });
  }

  // Each instruction and notice has an id made of the workflow and a counter, so a
  // replayed or retried delivery is recognised by the receiving session.
  async function toContact(text: string) {
    await instructContact({
      taskId,
      contactId: input.contactId,
      contactName: input.contactName,
      instructionId: `${wf.workflowInfo().workflowId}/to-contact-${++messages}`,
      text,
    });
  }

  async function toOwner(text: string) {
    await tellOwner({
      ownerName: input.ownerName,
      notice: {
        noticeId: `${wf.workflowInfo().workflowId}/to-owner-${++messages}`,
        fromTelegramId: input.contactId,
        fromName: `Conversation ${taskId} with ${input.contactName}`,
        text,
      },
    });
  }

  // --- open the conversation ---------------------------------------------------
  if (input.searchAttributes !== false) {
    wf.upsertSearchAttributes([
      { key: SearchAttributes.owner, value: String(input.ownerId) },
      { key: SearchAttributes.contact, value: String(input.contactId) },
      { key: LegacySearchAttributes.type, value: input.type },
    ]);
  }
  await toContact(say().opening());
  await setStatus('in_progress', `opened the conversation with ${input.contactName}`);

  const startedAt = Date.now();
  let lastContactActivity = startedAt;

  // --- wait, nudge, decide -------------------------------------------------------
  while (!isFinished(state.status)) {
    const deadline = startedAt + timing.deadlineMs;
    const nudgeAt = lastContactActivity + timing.nudgeAfterMs;
    const waitingOnContact = state.status === 'in_progress';
    const wakeAt = waitingOnContact ? Math.min(deadline, nudgeAt) : deadline;
    const gotEvent = await wf.condition(() => events.length > 0, Math.max(wakeAt - Date.now(), 1));

    if (!gotEvent) {
      if (Date.now() >= deadline) {
        await setStatus('expired', 'deadline passed', { reason: 'No agreement before the deadline.' });
        await toOwner(say().deadlinePassed());
        await toContact(say().expired());
        break;
      }
      if (!waitingOnContact) continue;
      if (state.nudges >= timing.maxNudges) {
        await setStatus('expired', `no answer after ${state.nudges} reminders`, {
          reason: `${input.contactName} did not answer.`,
        });
        await toOwner(say().noAnswer(state.nudges));
        break;
      }
      // Never at night in the contact's zone: wait for their morning (news may come meanwhile).
      const daytime = nextDaytime(Date.now(), contactTimeZone);
      if (daytime > Date.now() && (await wf.condition(() => events.length > 0, daytime - Date.now()))) continue;
      state.nudges += 1;
      lastContactActivity = Date.now();
      state.lastEvent = `reminder ${state.nudges} sent`;
      wf.setCurrentDetails(`**${state.status}** — ${state.lastEvent}`);
      await toContact(say().nudge());
      continue;
    }

    const event = events.shift()!;
    if (event.kind === 'cancel') {
      await setStatus('cancelled', 'cancelled by the owner', { reason: event.reason ?? 'Cancelled by the owner.' });
      await toContact(say().cancelled());
      await toOwner(say().cancelVerdict());
      break;
    }

    if (event.kind === 'owner') {
      const { decision } = event;
      if (decision.decision === 'accept' && state.pendingSlot) {
        state.pendingSlot.approved = true;
        await setStatus('in_progress', 'owner accepted the proposed time');
        await toContact(say().ownerAccepts(state.pendingSlot, decision.message));
      } else {
        state.pendingSlot = undefined;
        await setStatus('in_progress', `owner answered: ${decision.decision}`);
        await toContact(say().ownerAnswers(decision.decision === 'counter' ? 'counter' : 'decline', decision.message));
      }
      continue;
    }

    // A report from the contact's session.
    lastContactActivity = Date.now();
    state.nudges = 0;
    const update = event.update;
    if (update.kind === 'info') {
      await toOwner(update.note);
      continue;
    }
    if (update.kind === 'declined') {
      await setStatus('awaiting_owner', `${input.contactName} declined`);
      await toOwner(say().contactDeclined(update.note));
      continue;
    }
    if (update.kind === 'answered' || !meeting) {
      const answer = update.note ?? '';
      await setStatus('completed', `${input.contactName} answered`, { answer });
      await toOwner(say().contactAnswered(answer));
      await toContact(say().answerPassedOn());
      break;
    }
    if (update.kind === 'proposal') {
      if (update.contactTimeZone) contactTimeZone = update.contactTimeZone;
      const inside = fitsWindows(input, update.slot);
      state.pendingSlot = { ...update.slot, approved: inside };
      if (inside) {
        await setStatus('in_progress', 'a time inside the owner’s windows was proposed');
        await toContact(say().timeWorks(update.slot));
      } else {
        await setStatus('awaiting_owner', 'a time outside the owner’s windows was proposed');
        await toOwner(say().outsideWindows(update.slot, update.note));
        await toContact(say().checkingWithOwner(update.slot));
      }
      continue;
    }
    // kind === 'confirmed'
    const slot = update.slot ?? state.pendingSlot;
    const agreed =
      slot &&
      state.pendingSlot?.approved &&
      slot.startUtc === state.pendingSlot.startUtc &&
      slot.endUtc === state.pendingSlot.endUtc;
    if (!agreed || !slot) {
      // Nobody may confirm a time the owner has not agreed to: handle it as a proposal.
      wf.log.warn('Confirmation without an approved slot', { taskId });
      if (slot) events.unshift({ kind: 'contact', update: { kind: 'proposal', slot, note: update.note } });
      else await toContact(say().agreeOnATimeFirst());
      continue;
    }
    const result: NegotiationResult = {
      meeting: {
        startUtc: slot.startUtc,
        endUtc: slot.endUtc,
        contactTimeZone,
        place: meeting.place,
        notes: update.note,
      },
    };
    await setStatus('completed', 'meeting agreed', result);
    await toContact(say().finalConfirmation(slot));
    await toOwner(say().meetingAgreed(slot));
    break;
  }
  return state;
}
