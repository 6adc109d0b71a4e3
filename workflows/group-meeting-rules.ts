// The rules of a meeting with several people, as one pure function like the negotiation's:
// decide(state, event, now) → { state, effects, verdict }. The options are proposed to all
// guests one at a time; a decline moves everyone to the next option (or, with none left,
// asks the owner whether to go ahead without that guest); the meeting is agreed, and booked,
// only when every guest still invited has confirmed the same time.
//
//   event                                    → status          effects
//   open                                     → in_progress     propose the first option to every guest
//   guest confirms, others still to answer   —                 (verdict: waiting for the others)
//   guest confirms, all confirmed, free      → completed       book; tell owner and every guest
//   guest confirms, all confirmed, taken     → in_progress     next option to everyone (or ask the owner)
//   guest confirms, all confirmed, unknown   → awaiting_owner  tell owner
//   guest declines, an option left           → in_progress     next option to everyone; tell owner
//   guest declines, no option left           → awaiting_owner  ask owner: go ahead without them?
//   guest proposes / says something          —                 tell owner
//   owner accepts (awaiting)                 → in_progress or completed: declined / silent guests left out
//   owner declines                           → cancelled       tell guests
//   owner counters                           —                 tell guests the message
//   cancel                                   → cancelled       tell guests (unbook when booked)
//   timer: guest silent, reminders left      —                 nudge them in their daytime
//   timer: guest silent, reminders used up   → awaiting_owner  ask owner: go ahead without them?
//   timer: deadline                          → expired         tell owner and guests
import type { GroupMeetingInput } from '../contracts/group-meeting.ts';
import { describeGuests } from '../contracts/group-meeting.ts';
import { isFinished } from '../contracts/negotiation.ts';
import type {
  GuestStatus,
  NegotiationResult,
  NegotiationStatus,
  NegotiationView,
  Slot,
} from '../contracts/negotiation.ts';
import { formatSpanInZones, nextDaytime } from '../pure/time-zones.ts';
import type { NegotiationEvent } from './negotiation-rules.ts';

export type GroupEffect =
  | { kind: 'tell-guest'; guestId: number; text: string }
  | { kind: 'tell-owner'; text: string }
  | { kind: 'book'; slot: Slot }
  | { kind: 'unbook'; slot: Slot };

export interface GuestState {
  telegramId: number;
  name: string;
  timeZone: string;
  status: GuestStatus;
  nudges: number;
  lastContactAt: number;
  /** The owner was asked about this silent guest (asked once). */
  ownerAsked?: boolean;
}

export interface GroupState {
  readonly terms: GroupMeetingInput;
  status: NegotiationStatus;
  openedAt: number;
  /** The option on the table (index into terms.meeting.options). */
  candidate: number;
  guests: GuestState[];
  booked?: Slot;
  result?: NegotiationResult;
  lastEvent: string;
}

export interface GroupDecision {
  state: GroupState;
  effects: GroupEffect[];
  verdict: string;
  rejected?: string;
}

export function initialGroupState(terms: GroupMeetingInput, now: number): GroupState {
  return {
    terms,
    status: 'pending',
    openedAt: now,
    candidate: 0,
    guests: terms.guests.map((g) => ({ ...g, status: 'waiting', nudges: 0, lastContactAt: now })),
    lastEvent: 'created',
  };
}

const invited = (state: GroupState) => state.guests.filter((g) => g.status !== 'excused');
const candidateOf = (state: GroupState): Slot | undefined => state.terms.meeting.options[state.candidate];

export function groupRejection(state: GroupState, event: NegotiationEvent): string | undefined {
  const { taskId } = state.terms;
  if (event.kind === 'open') return state.status === 'pending' ? undefined : 'The meeting is already open.';
  if (event.kind === 'timer') return undefined;
  if (event.kind === 'cancel' && state.booked) return undefined;
  if (event.kind === 'reschedule') {
    return 'Moving a meeting with several people is not built yet: cancel it and arrange a new one.';
  }
  if (isFinished(state.status)) return `Conversation ${taskId} is already ${state.status}.`;
  if (event.kind === 'owner') {
    if (event.decision.decision === 'accept' && state.status !== 'awaiting_owner') {
      return `Nothing in conversation ${taskId} waits for your decision now: ${describeGuests(viewOfGroup(state).guests!)}.`;
    }
    if (event.decision.decision === 'counter' && !event.decision.message?.trim()) {
      return 'A counter-proposal needs a message for the guests.';
    }
    return undefined;
  }
  if (event.kind === 'contact') {
    const guest = state.guests.find((g) => g.telegramId === event.report.from);
    if (!guest || guest.status === 'excused') return `This person is not invited to conversation ${taskId}.`;
    if (event.report.kind === 'answered') {
      return `Conversation ${taskId} is a meeting: record a confirmation (kind "confirmed") or a refusal (kind "declined").`;
    }
    const slot = candidateOf(state);
    const named = event.report.kind === 'confirmed' ? event.report.slot : undefined;
    if (named && slot && (named.startUtc !== slot.startUtc || named.endUtc !== slot.endUtc)) {
      return `Only the time proposed to everyone can be confirmed: ${slotIn(slot, guest.timeZone, state)}. If they want another time, record it as a proposal.`;
    }
  }
  return undefined;
}

export function decideGroup(state: GroupState, event: NegotiationEvent, now: number): GroupDecision {
  const rejected = groupRejection(state, event);
  if (rejected) return { state, effects: [], verdict: rejected, rejected };
  const next: GroupState = { ...state, guests: state.guests.map((g) => ({ ...g })) };
  switch (event.kind) {
    case 'open':
      next.status = 'in_progress';
      next.lastEvent = 'proposed the first time to everyone';
      return done(next, '', proposeToAll(next, 'first'));
    case 'timer':
      return onGroupTimer(next, now);
    case 'cancel': {
      const slot = next.booked;
      next.booked = undefined;
      move(next, 'cancelled', 'cancelled by the owner', { reason: event.reason ?? 'Cancelled by the owner.' });
      const effects: GroupEffect[] = slot ? [{ kind: 'unbook', slot }] : [];
      for (const g of invited(next)) effects.push(toGuest(g, cancelledText(next, g, slot)));
      return done(
        next,
        `Cancelled the meeting with ${names(next)}${slot ? ': it is removed from your calendar and everyone gets the cancellation' : ''}.`,
        effects,
      );
    }
    case 'owner':
      return onOwner(next, event.decision.decision, event.decision.message, now);
    case 'reschedule':
      return done(state, '', []);
    case 'contact': {
      const guest = next.guests.find((g) => g.telegramId === event.report.from)!;
      guest.lastContactAt = now;
      guest.nudges = 0;
      guest.ownerAsked = false;
      return onGuest(next, guest, event, now);
    }
  }
}

function onGuest(
  state: GroupState,
  guest: GuestState,
  event: Extract<NegotiationEvent, { kind: 'contact' }>,
  now: number,
): GroupDecision {
  const { report } = event;
  const slot = candidateOf(state)!;
  switch (report.kind) {
    case 'info':
      return done(state, `Passed on to ${state.terms.ownerName}.`, [toOwner(`${guest.name}: ${report.note}`)]);
    case 'proposal':
      return done(
        state,
        `Passed on to ${state.terms.ownerName}; for now the time proposed to everyone stays ${slotIn(slot, guest.timeZone, state)}.`,
        [
          toOwner(
            `${guest.name} suggests ${slotIn(report.slot, state.terms.ownerTimeZone, state)} instead (conversation ${state.terms.taskId}).${report.note ? ` They say: ${report.note}` : ''}`,
          ),
        ],
      );
    case 'declined':
      guest.status = 'declined';
      state.lastEvent = `${guest.name} declined`;
      return moveOn(state, `${guest.name} can't make ${slotIn(slot, state.terms.ownerTimeZone, state)}`, now);
    case 'confirmed': {
      guest.status = 'confirmed';
      state.lastEvent = `${guest.name} confirmed`;
      if (invited(state).some((g) => g.status !== 'confirmed')) {
        return done(
          state,
          `Recorded: ${guest.name} confirmed ${slotIn(slot, guest.timeZone, state)}. Tell them the others are being asked and the invitation comes once everyone has confirmed.`,
          [],
        );
      }
      if (event.slotState === 'busy') {
        return moveOn(state, `${slotIn(slot, state.terms.ownerTimeZone, state)} was just taken in your calendar`, now);
      }
      if (event.slotState === 'unknown') {
        move(state, 'awaiting_owner', 'the calendar could not be checked');
        return done(state, `Recorded. ${state.terms.ownerName} is asked to make the final decision.`, [
          toOwner(
            `Everyone confirmed ${slotIn(slot, state.terms.ownerTimeZone, state)}, but your calendar could not be read to check it is still free. Accept to book it anyway, or decline (conversation ${state.terms.taskId}).`,
          ),
        ]);
      }
      return agree(state);
    }
  }
  return done(state, '', []);
}

/** The time on the table is off: the next option goes to everyone, or the owner decides. */
function moveOn(state: GroupState, why: string, now: number): GroupDecision {
  const previous = candidateOf(state)!;
  const nextIndex = state.candidate + 1;
  const next = state.terms.meeting.options[nextIndex];
  const blocking = state.guests.filter((g) => g.status === 'declined').map((g) => g.name);
  if (!next) {
    move(state, 'awaiting_owner', `${why}; no other option`);
    return done(state, `Recorded. ${state.terms.ownerName} will decide how to continue; promise nothing yet.`, [
      toOwner(
        `${why}, and there is no other option. Accept to go ahead without ${blocking.join(' and ') || 'them'}, or decline to call the meeting off (conversation ${state.terms.taskId}).`,
      ),
    ]);
  }
  state.candidate = nextIndex;
  for (const g of invited(state)) {
    g.status = 'waiting';
    g.nudges = 0;
    g.lastContactAt = now;
    g.ownerAsked = false;
  }
  move(state, 'in_progress', `${why}; proposed the next time to everyone`);
  return done(
    state,
    `Recorded. ${slotIn(previous, state.terms.ownerTimeZone, state)} is off; a new time is being proposed to everyone.`,
    [
      toOwner(
        `${why}; proposing ${slotIn(next, state.terms.ownerTimeZone, state)} to everyone instead (conversation ${state.terms.taskId}).`,
      ),
      ...proposeToAll(state, 'next'),
    ],
  );
}

function agree(state: GroupState): GroupDecision {
  const slot = candidateOf(state)!;
  const { meeting, ownerTimeZone } = state.terms;
  const result: NegotiationResult = {
    meeting: { startUtc: slot.startUtc, endUtc: slot.endUtc, contactTimeZone: ownerTimeZone, place: meeting.place },
  };
  move(state, 'completed', 'meeting agreed with everyone', result);
  const effects: GroupEffect[] = [];
  if (meeting.calendar) {
    state.booked = { startUtc: slot.startUtc, endUtc: slot.endUtc };
    effects.push({ kind: 'book', slot: state.booked });
  }
  effects.push(
    toOwner(
      `✅ Meeting agreed with ${names(state)}: ${slotIn(slot, ownerTimeZone, state)}${meeting.place ? `, ${meeting.place}` : ''}. ${describeGuests(viewOfGroup(state).guests!)}.`,
    ),
  );
  for (const g of invited(state)) {
    effects.push(
      toGuest(
        g,
        `Everyone has confirmed: the meeting is on ${slotIn(slot, g.timeZone, state)}${meeting.place ? `, ${meeting.place}` : ''}. Tell ${g.name} so and thank them.`,
      ),
    );
  }
  return done(state, `Recorded. Everyone has confirmed; the meeting is agreed.`, effects);
}

function onOwner(
  state: GroupState,
  decision: 'accept' | 'decline' | 'counter',
  message: string | undefined,
  now: number,
): GroupDecision {
  if (decision === 'counter') {
    return done(
      state,
      'Passed your message on to everyone.',
      invited(state).map((g) =>
        toGuest(g, `${state.terms.ownerName}'s message about the meeting: ${message} Pass it on and continue.`),
      ),
    );
  }
  if (decision === 'decline') {
    move(state, 'cancelled', 'called off by the owner', { reason: message ?? 'Called off by the owner.' });
    return done(
      state,
      `Called off: ${names(state)} are told.`,
      invited(state).map((g) => toGuest(g, cancelledText(state, g))),
    );
  }
  // Accept: go ahead without whoever declined or stayed silent.
  const left: string[] = [];
  for (const g of state.guests) {
    if (g.status === 'declined' || (g.status === 'waiting' && g.ownerAsked)) {
      g.status = 'excused';
      left.push(g.name);
    }
  }
  if (invited(state).length === 0) {
    move(state, 'cancelled', 'nobody left to meet', { reason: 'Every guest declined.' });
    return done(state, 'Nobody is left to meet: the meeting is called off.', []);
  }
  const leftOut = left.length > 0 ? `Going ahead without ${left.join(' and ')}. ` : '';
  if (invited(state).every((g) => g.status === 'confirmed')) {
    const decision = agree(state);
    return { ...decision, verdict: `${leftOut}Everyone else has confirmed: the meeting is agreed.` };
  }
  move(state, 'in_progress', `owner goes ahead${left.length ? ` without ${left.join(' and ')}` : ''}`);
  for (const g of invited(state)) g.lastContactAt = now;
  return done(state, `${leftOut}Waiting for ${names(state, 'waiting')}.`, []);
}

function onGroupTimer(state: GroupState, now: number): GroupDecision {
  const { timing } = state.terms;
  if (state.booked && now >= Date.parse(state.booked.endUtc)) {
    state.booked = undefined;
    state.lastEvent = 'the meeting has taken place';
    return done(state, '', []);
  }
  if (isFinished(state.status)) return done(state, '', []);
  if (now >= state.openedAt + timing.deadlineMs) {
    move(state, 'expired', 'deadline passed', { reason: 'No agreement before the deadline.' });
    return done(state, '', [
      toOwner(
        `⌛ No agreement with ${names(state)} before the deadline; I've stopped (conversation ${state.terms.taskId}). ${describeGuests(viewOfGroup(state).guests!)}.`,
      ),
      ...invited(state).map((g) =>
        toGuest(
          g,
          `${state.terms.ownerName}'s request has expired; close the topic politely without promising anything.`,
        ),
      ),
    ]);
  }
  const effects: GroupEffect[] = [];
  for (const g of invited(state)) {
    if (g.status !== 'waiting' || g.ownerAsked || now < g.lastContactAt + timing.nudgeAfterMs) continue;
    if (g.nudges >= timing.maxNudges) {
      g.ownerAsked = true;
      move(state, 'awaiting_owner', `${g.name} did not answer`);
      effects.push(
        toOwner(
          `${g.name} has not answered after ${g.nudges} reminders. ${describeGuests(viewOfGroup(state).guests!)}. Accept to go ahead without them, or decline to call the meeting off (conversation ${state.terms.taskId}).`,
        ),
      );
      continue;
    }
    if (nextDaytime(now, g.timeZone) > now) continue;
    g.nudges += 1;
    g.lastContactAt = now;
    state.lastEvent = `reminded ${g.name}`;
    effects.push(
      toGuest(
        g,
        `${g.name} has not answered yet. Send a short, friendly reminder: does ${slotIn(candidateOf(state)!, g.timeZone, state)} work for them?`,
      ),
    );
  }
  return done(state, '', effects);
}

/** Who must answer a confirmation: set when `event` would complete the meeting (the last guest confirming). */
export function groupSlotToCheck(state: GroupState, event: NegotiationEvent): Slot | undefined {
  if (event.kind !== 'contact' || event.report.kind !== 'confirmed' || !state.terms.meeting.calendar) return undefined;
  if (groupRejection(state, event)) return undefined;
  const others = invited(state).filter((g) => g.telegramId !== event.report.from);
  if (others.some((g) => g.status !== 'confirmed')) return undefined;
  return candidateOf(state);
}

export function nextGroupWakeAt(state: GroupState, now: number): number | undefined {
  if (state.booked) return Date.parse(state.booked.endUtc);
  if (isFinished(state.status)) return undefined;
  const { timing } = state.terms;
  let wake = state.openedAt + timing.deadlineMs;
  for (const g of invited(state)) {
    if (g.status !== 'waiting' || g.ownerAsked) continue;
    const due = g.lastContactAt + timing.nudgeAfterMs;
    wake = Math.min(wake, g.nudges >= timing.maxNudges ? due : nextDaytime(Math.max(due, now), g.timeZone));
  }
  return wake;
}

export function viewOfGroup(state: GroupState): NegotiationView {
  const slot = candidateOf(state);
  return {
    taskId: state.terms.taskId,
    status: state.status,
    type: 'meeting',
    contactId: state.terms.guests[0]!.telegramId,
    nudges: Math.max(0, ...state.guests.map((g) => g.nudges)),
    ...(slot && !isFinished(state.status) && { pendingSlot: { ...slot, approved: true } }),
    ...(state.result && { result: state.result }),
    lastEvent: state.lastEvent,
    guests: state.guests.map(({ telegramId, name, status, nudges }) => ({ telegramId, name, status, nudges })),
  };
}

function proposeToAll(state: GroupState, which: 'first' | 'next'): GroupEffect[] {
  const slot = candidateOf(state)!;
  const { terms } = state;
  return invited(state).map((g) => {
    const others = invited(state)
      .filter((o) => o !== g)
      .map((o) => o.name);
    const intro =
      which === 'first'
        ? `Start this conversation on behalf of ${terms.ownerName}: ${terms.brief} It is a ${terms.meeting.durationMinutes}-minute meeting of ${terms.ownerName} with ${[g.name, ...others].join(', ')}${terms.meeting.place ? ` (${terms.meeting.place})` : ''}.`
        : `The time proposed before does not work for everyone.`;
    return toGuest(
      g,
      `${intro} Propose ${slotIn(slot, g.timeZone, state)} and ask ${g.name} for a clear yes or no; record it with update_conversation (task ${terms.taskId}, kind "confirmed" or "declined").`,
    );
  });
}

function cancelledText(state: GroupState, g: GuestState, slot?: Slot): string {
  return `${state.terms.ownerName} has called off the meeting${slot ? ` on ${slotIn(slot, g.timeZone, state)}` : ''}. Tell ${g.name} politely, with an apology${slot ? '; the calendar cancellation has been sent to them' : ''}.`;
}

/** A time in `zone` first, then the owner's. */
function slotIn(slot: Slot, zone: string, state: GroupState): string {
  return formatSpanInZones(slot.startUtc, slot.endUtc, [zone, state.terms.ownerTimeZone]);
}

function names(state: GroupState, only?: GuestStatus): string {
  return invited(state)
    .filter((g) => !only || g.status === only)
    .map((g) => g.name)
    .join(', ');
}

function move(state: GroupState, status: NegotiationStatus, lastEvent: string, result?: NegotiationResult): void {
  state.status = status;
  state.lastEvent = lastEvent;
  if (result) state.result = result;
}

function done(state: GroupState, verdict: string, effects: GroupEffect[]): GroupDecision {
  return { state, effects, verdict };
}

const toGuest = (g: GuestState, text: string): GroupEffect => ({ kind: 'tell-guest', guestId: g.telegramId, text });
const toOwner = (text: string): GroupEffect => ({ kind: 'tell-owner', text });
