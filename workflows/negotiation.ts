// One negotiation per ConversationTask (`negotiation-<taskId>`): it carries the owner's
// request into the contact's session, waits (for days if need be) on what that session
// reports, nudges a silent contact in their daytime, asks the owner when a decision is
// theirs, and reports the outcome. Only this workflow decides a meeting is agreed: a
// slot must fit the owner's windows or be accepted by the owner, then be confirmed back.
import {
  condition,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { formatSpanInZones, nextDaytime } from '../pure/time-zones.ts';
import {
  cancelNegotiationSignal,
  contactUpdateSignal,
  negotiationStatusQuery,
  ownerDecisionSignal,
  SearchAttributes,
} from '../contracts/negotiation.ts';
import type {
  ContactUpdate,
  ConversationStatus,
  NegotiationActivities,
  NegotiationResult,
  NegotiationStatus,
  NegotiationWorkflow,
  OwnerDecision,
  Slot,
} from '../contracts/negotiation.ts';

const { recordConversation, instructContact, tellOwner } = proxyActivities<NegotiationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

type NegotiationEvent =
  | { kind: 'contact'; update: ContactUpdate }
  | { kind: 'owner'; decision: OwnerDecision }
  | { kind: 'cancel'; reason?: string };

const FINAL: ConversationStatus[] = ['completed', 'cancelled', 'expired'];

export const negotiationWorkflow: NegotiationWorkflow = async function negotiationWorkflow(input) {
  const { taskId, meeting, timing } = input;
  const events: NegotiationEvent[] = [];
  const state: NegotiationStatus = {
    taskId,
    status: 'pending',
    type: input.type,
    contactId: input.contactId,
    nudges: 0,
    lastEvent: 'created',
  };
  let contactTimeZone = input.contactTimeZone;
  let messages = 0;

  setHandler(contactUpdateSignal, (update) => void events.push({ kind: 'contact', update }));
  setHandler(ownerDecisionSignal, (decision) => void events.push({ kind: 'owner', decision }));
  setHandler(cancelNegotiationSignal, ({ reason }) => void events.push({ kind: 'cancel', reason }));
  setHandler(negotiationStatusQuery, () => state);

  const zones = () => [input.ownerTimeZone, contactTimeZone];
  const slotText = (slot: Slot) => formatSpanInZones(slot.startUtc, slot.endUtc, zones());

  async function setStatus(status: ConversationStatus, lastEvent: string, result?: NegotiationResult) {
    state.status = status;
    state.lastEvent = lastEvent;
    if (result) state.result = result;
    if (input.searchAttributes !== false) upsertSearchAttributes([{ key: SearchAttributes.status, value: status }]);
    setCurrentDetails(`**${status}** — ${lastEvent}`);
    await recordConversation({ taskId, status, result });
  }

  // Each instruction and notice has an id made of the workflow and a counter, so a
  // replayed or retried delivery is recognised by the receiving session.
  async function toContact(text: string) {
    await instructContact({
      taskId,
      contactId: input.contactId,
      contactName: input.contactName,
      instructionId: `${workflowInfo().workflowId}/to-contact-${++messages}`,
      text,
    });
  }

  async function toOwner(text: string) {
    await tellOwner({
      ownerName: input.ownerName,
      notice: {
        noticeId: `${workflowInfo().workflowId}/to-owner-${++messages}`,
        fromTelegramId: input.contactId,
        fromName: `Conversation ${taskId} with ${input.contactName}`,
        text,
      },
    });
  }

  const fitsWindows = (slot: Slot) => {
    if (!meeting) return true;
    const start = Date.parse(slot.startUtc);
    const end = Date.parse(slot.endUtc);
    const minutes = (end - start) / 60000;
    return (
      minutes >= meeting.durationMinutes &&
      meeting.windows.some((w) => start >= Date.parse(w.startUtc) && end <= Date.parse(w.endUtc))
    );
  };

  // --- open the conversation ---------------------------------------------------
  if (input.searchAttributes !== false) {
    upsertSearchAttributes([
      { key: SearchAttributes.owner, value: String(input.ownerId) },
      { key: SearchAttributes.contact, value: String(input.contactId) },
      { key: SearchAttributes.type, value: input.type },
    ]);
  }
  const windowsText = meeting?.windows.map((w) => slotText(w)).join('; ');
  await toContact(
    [
      `Start this conversation on behalf of ${input.ownerName}: ${input.brief}`,
      meeting
        ? `It is about a ${meeting.durationMinutes}-minute meeting${meeting.place ? ` (${meeting.place})` : ''}. ${input.ownerName} is available: ${windowsText}. Propose times only inside these windows, always stating them in both time zones, and ask which suits them.`
        : '',
      `Record what they answer with update_conversation (task ${taskId}).`,
    ]
      .filter(Boolean)
      .join(' '),
  );
  await setStatus('in_progress', `opened the conversation with ${input.contactName}`);

  const startedAt = Date.now();
  let lastContactActivity = startedAt;

  // --- wait, nudge, decide -------------------------------------------------------
  while (!FINAL.includes(state.status)) {
    const deadline = startedAt + timing.deadlineMs;
    const nudgeAt = lastContactActivity + timing.nudgeAfterMs;
    const waitingOnContact = state.status === 'in_progress';
    const wakeAt = waitingOnContact ? Math.min(deadline, nudgeAt) : deadline;
    const gotEvent = await condition(() => events.length > 0, Math.max(wakeAt - Date.now(), 1));

    if (!gotEvent) {
      if (Date.now() >= deadline) {
        await setStatus('expired', 'deadline passed', { reason: 'No agreement before the deadline.' });
        await toOwner(
          `⌛ No agreement with ${input.contactName} before the deadline; I've stopped (conversation ${taskId}).`,
        );
        await toContact(
          `${input.ownerName}'s request has expired; close the topic politely without promising anything.`,
        );
        break;
      }
      if (!waitingOnContact) continue;
      if (state.nudges >= timing.maxNudges) {
        await setStatus('expired', `no answer after ${state.nudges} reminders`, {
          reason: `${input.contactName} did not answer.`,
        });
        await toOwner(
          `⌛ ${input.contactName} has not answered after ${state.nudges} reminders; I've stopped (conversation ${taskId}).`,
        );
        break;
      }
      // Never at night in the contact's zone: wait for their morning (news may come meanwhile).
      const daytime = nextDaytime(Date.now(), contactTimeZone);
      if (daytime > Date.now() && (await condition(() => events.length > 0, daytime - Date.now()))) continue;
      state.nudges += 1;
      lastContactActivity = Date.now();
      state.lastEvent = `reminder ${state.nudges} sent`;
      setCurrentDetails(`**${state.status}** — ${state.lastEvent}`);
      await toContact(
        `${input.contactName} has not answered yet. Send a short, friendly reminder about: ${input.brief}`,
      );
      continue;
    }

    const event = events.shift()!;
    if (event.kind === 'cancel') {
      await setStatus('cancelled', 'cancelled by the owner', { reason: event.reason ?? 'Cancelled by the owner.' });
      await toContact(
        `${input.ownerName} no longer needs this (${input.brief}). Tell them politely; nothing else is needed.`,
      );
      await toOwner(`Cancelled the conversation with ${input.contactName}.`);
      break;
    }

    if (event.kind === 'owner') {
      const { decision } = event;
      if (decision.decision === 'accept' && state.pendingSlot) {
        state.pendingSlot.approved = true;
        await setStatus('in_progress', 'owner accepted the proposed time');
        await toContact(
          `${input.ownerName} accepts ${slotText(state.pendingSlot)}${decision.message ? ` and says: ${decision.message}` : ''}. Confirm this exact time with ${input.contactName} and record their confirmation with update_conversation (kind "confirmed").`,
        );
      } else {
        state.pendingSlot = undefined;
        await setStatus('in_progress', `owner answered: ${decision.decision}`);
        await toContact(
          `${input.ownerName}'s answer: ${decision.message ?? (decision.decision === 'decline' ? 'that does not work.' : '')} Pass it on and continue${meeting ? `; new proposals must fit: ${windowsText}` : ''}.`,
        );
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
      await toOwner(
        `${input.contactName} declined${update.note ? `: ${update.note}` : ''}. Tell me how to continue, or cancel (conversation ${taskId}).`,
      );
      continue;
    }
    if (update.kind === 'answered' || !meeting) {
      const answer = update.note ?? '';
      await setStatus('completed', `${input.contactName} answered`, { answer });
      await toOwner(`✅ ${input.contactName} answered: ${answer}`);
      await toContact(`Thank ${input.contactName}; their answer has been passed to ${input.ownerName}.`);
      break;
    }
    if (update.kind === 'proposal') {
      if (update.contactTimeZone) contactTimeZone = update.contactTimeZone;
      const inside = fitsWindows(update.slot);
      state.pendingSlot = { ...update.slot, approved: inside };
      if (inside) {
        await setStatus('in_progress', 'a time inside the owner’s windows was proposed');
        await toContact(
          `That time works for ${input.ownerName}: ${slotText(update.slot)}. Confirm it back to ${input.contactName} in both time zones and ask for a clear yes; then record it with update_conversation (kind "confirmed").`,
        );
      } else {
        await setStatus('awaiting_owner', 'a time outside the owner’s windows was proposed');
        await toOwner(
          `${input.contactName} proposes ${slotText(update.slot)}, outside your windows (${windowsText}).${update.note ? ` They say: ${update.note}.` : ''} Accept, decline, or suggest another time (conversation ${taskId}).`,
        );
        await toContact(
          `Tell ${input.contactName} you will check ${slotText(update.slot)} with ${input.ownerName} and come back; do not agree to it.`,
        );
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
      log.warn('Confirmation without an approved slot', { taskId });
      if (slot) events.unshift({ kind: 'contact', update: { kind: 'proposal', slot, note: update.note } });
      else
        await toContact(
          `Before confirming, agree with ${input.contactName} on a concrete time inside: ${windowsText}.`,
        );
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
    await toContact(
      `Final confirmation to ${input.contactName}: ${slotText(slot)}${meeting.place ? `, ${meeting.place}` : ''}. Thank them.`,
    );
    await toOwner(
      `✅ Meeting with ${input.contactName} agreed: ${slotText(slot)}${meeting.place ? `, ${meeting.place}` : ''}.`,
    );
    break;
  }
  return state;
};
