// A negotiation's rules as one pure function: decide(state, event, now) → { state, effects,
// verdict }. No Temporal here: the workflow (negotiation.ts) only runs timers, feeds events
// in, and carries the effects out; the tests check every rule in milliseconds.
//
// The transitions (status before → after; "—" means unchanged):
//
//   event                               allowed in            → status          effects
//   open                                pending               → in_progress     tell contact the brief
//   contact proposal inside windows     active                → in_progress     (verdict: confirm it back)
//   contact proposal outside windows    active                → awaiting_owner  tell owner
//   contact confirms the approved slot  active                → completed       tell owner (verdict: final)
//   contact confirms another slot       active                as a proposal of that slot
//   contact answered                    active                → completed       tell owner (verdict: thank them)
//   contact declined                    active                → awaiting_owner  tell owner
//   contact info                        active                —                 tell owner
//   owner accepts the proposed slot     active, slot proposed → in_progress     tell contact to confirm it back
//   owner declines / counters           active                → in_progress     tell contact the answer
//   cancel                              active                → cancelled       tell contact
//   cancel of a booked meeting          completed, booked     → cancelled       unbook, tell contact
//   contact confirms, calendar busy     active (calendar)     → in_progress     (verdict: offer the next option)
//   contact confirms, calendar unknown  active (calendar)     → awaiting_owner  tell owner
//   contact confirms, calendar free     active (calendar)     → completed       book, tell owner
//   timer: a booked meeting has ended   completed, booked     —                 (nothing left to cancel)
//   timer: deadline passed              active                → expired         tell owner and contact
//   timer: silent, reminders used up    in_progress           → expired         tell owner
//   timer: silent, contact's daytime    in_progress           —                 tell contact a reminder
//
// Anything else is rejected with a reason (see `rejection`), and changes nothing.
import type {
  ContactReport,
  NegotiationInput,
  NegotiationResult,
  NegotiationStatus,
  NegotiationView,
  OwnerDecision,
  Slot,
} from '../contracts/negotiation.ts';
import { isFinished } from '../contracts/negotiation.ts';
import type { SlotState } from '../contracts/calendar.ts';
import { nextDaytime } from '../pure/time-zones.ts';
import { NegotiationWording } from './negotiation-wording.ts';

export type NegotiationEvent =
  | { kind: 'open' }
  /** `slotState`: the owner's calendar re-checked for the time being confirmed (see slotToCheck). */
  | { kind: 'contact'; report: ContactReport; slotState?: SlotState }
  | { kind: 'owner'; decision: OwnerDecision }
  | { kind: 'cancel'; reason?: string }
  /** The owner moves the booked meeting. */
  | { kind: 'reschedule'; slot: Slot }
  /** A timer fired: a reminder or the deadline may be due. */
  | { kind: 'timer' };

export type NegotiationEffect =
  | { kind: 'tell-contact'; text: string }
  | { kind: 'tell-owner'; text: string }
  /** Write the meeting into the owner's calendar and send the contact the invitation (`sequence` 0 when new). */
  | { kind: 'book'; slot: Slot; sequence?: number }
  /** Remove the booked meeting and send the contact the cancellation. */
  | { kind: 'unbook'; slot: Slot; sequence?: number };

export interface NegotiationState {
  /** What the owner asked for; never changes. */
  readonly terms: NegotiationInput;
  status: NegotiationStatus;
  /** Workflow time (ms) the negotiation was opened: the deadline counts from here. */
  openedAt: number;
  /** When the contact last reported, or was last written to: silence counts from here. */
  lastContactAt: number;
  nudges: number;
  contactTimeZone: string;
  /** The slot on the table; approved once it fits the owner's windows or the owner accepted it. */
  pendingSlot?: Slot & { approved: boolean; ownerAccepted?: boolean };
  /** The meeting in the owner's calendar, until it ends or is cancelled. */
  booked?: Slot;
  /** Changes to the booked meeting so far (its iCalendar SEQUENCE). */
  bookingChanges?: number;
  result?: NegotiationResult;
  lastEvent: string;
}

export interface Decision {
  state: NegotiationState;
  effects: NegotiationEffect[];
  /** For the one who sent the event: what happened, in words for their model. */
  verdict: string;
  /** Set when the event is not allowed now; then nothing changed. */
  rejected?: string;
}

export function initialState(terms: NegotiationInput, now: number): NegotiationState {
  return {
    terms,
    status: 'pending',
    openedAt: now,
    lastContactAt: now,
    nudges: 0,
    contactTimeZone: terms.contactTimeZone,
    lastEvent: 'created',
  };
}

/** Why `event` is not allowed in `state`, or undefined when it is. Also the updates' validator. */
export function rejection(state: NegotiationState, event: NegotiationEvent): string | undefined {
  const { taskId, meeting, contactName } = state.terms;
  if (event.kind === 'open') return state.status === 'pending' ? undefined : 'The negotiation is already open.';
  if (event.kind === 'timer') return undefined;
  if (event.kind === 'cancel' && state.booked) return undefined;
  if (event.kind === 'reschedule') {
    if (!state.booked) return `Conversation ${taskId} has no booked meeting to move.`;
    const { slot } = event;
    if (!(Date.parse(slot.endUtc) > Date.parse(slot.startUtc))) return 'A time must end after it starts.';
    return undefined;
  }
  if (isFinished(state.status)) return `Conversation ${taskId} is already ${state.status}.`;
  if (event.kind === 'owner') {
    const { decision } = event;
    if (decision.decision === 'accept' && !state.pendingSlot) {
      return `There is no proposed time to accept in conversation ${taskId}; say what to tell ${contactName} instead (decline or counter).`;
    }
    if (decision.decision === 'counter' && !decision.message?.trim()) {
      return `A counter-proposal needs a message for ${contactName}.`;
    }
    return undefined;
  }
  if (event.kind === 'contact') {
    const { report } = event;
    if ((report.kind === 'proposal' || report.kind === 'confirmed') && !meeting) {
      return `Conversation ${taskId} is a ${state.terms.type.replace('_', ' ')}, not a meeting: record their answer (kind "answered") or a refusal (kind "declined").`;
    }
    const slot = report.kind === 'proposal' ? report.slot : report.kind === 'confirmed' ? report.slot : undefined;
    if (slot && !(Date.parse(slot.endUtc) > Date.parse(slot.startUtc))) return 'A time must end after it starts.';
    if (report.kind === 'confirmed' && !slot && !state.pendingSlot) {
      return new NegotiationWording(state.terms, state.contactTimeZone).agreeOnATimeFirst();
    }
  }
  return undefined;
}

export function decide(state: NegotiationState, event: NegotiationEvent, now: number): Decision {
  const rejected = rejection(state, event);
  if (rejected) return { state, effects: [], verdict: rejected, rejected };
  const next: NegotiationState = { ...state, pendingSlot: state.pendingSlot && { ...state.pendingSlot } };
  const say = new NegotiationWording(next.terms, next.contactTimeZone);
  switch (event.kind) {
    case 'open':
      return done(move(next, 'in_progress', `opened the conversation with ${next.terms.contactName}`), '', [
        toContact(say.opening()),
      ]);
    case 'timer':
      return onTimer(next, now, say);
    case 'reschedule':
      return reschedule(next, event.slot, say);
    case 'cancel':
      if (next.booked) return cancelBooked(next, event.reason, say);
      return done(
        move(next, 'cancelled', 'cancelled by the owner', { reason: event.reason ?? 'Cancelled by the owner.' }),
        say.cancelVerdict(),
        [toContact(say.cancelled())],
      );
    case 'owner':
      return onOwnerDecision(next, event.decision, now, say);
    case 'contact':
      next.lastContactAt = now;
      next.nudges = 0;
      return onContactReport(next, event.report, say, event.slotState);
  }
}

function onTimer(state: NegotiationState, now: number, say: NegotiationWording): Decision {
  const { terms } = state;
  if (state.booked && now >= Date.parse(state.booked.endUtc)) {
    state.booked = undefined;
    state.lastEvent = 'the meeting has taken place';
    return done(state, '', []);
  }
  if (isFinished(state.status)) return done(state, '', []);
  if (now >= state.openedAt + terms.timing.deadlineMs) {
    return done(move(state, 'expired', 'deadline passed', { reason: 'No agreement before the deadline.' }), '', [
      toOwner(say.deadlinePassed()),
      toContact(say.expired()),
    ]);
  }
  if (state.status !== 'in_progress' || now < state.lastContactAt + terms.timing.nudgeAfterMs) {
    return done(state, '', []);
  }
  if (state.nudges >= terms.timing.maxNudges) {
    const nudges = state.nudges;
    return done(
      move(state, 'expired', `no answer after ${nudges} reminders`, { reason: `${terms.contactName} did not answer.` }),
      '',
      [toOwner(say.noAnswer(nudges))],
    );
  }
  // Never at night in the contact's zone: the runner wakes again in their morning.
  if (nextDaytime(now, state.contactTimeZone) > now) return done(state, '', []);
  state.nudges += 1;
  state.lastContactAt = now;
  state.lastEvent = `reminder ${state.nudges} sent`;
  return done(state, '', [toContact(say.nudge())]);
}

function onOwnerDecision(
  state: NegotiationState,
  decision: OwnerDecision,
  now: number,
  say: NegotiationWording,
): Decision {
  // Silence is counted from what we last told the contact.
  state.lastContactAt = now;
  if (decision.decision === 'accept' && state.pendingSlot) {
    state.pendingSlot.approved = true;
    // The owner's own word: the calendar is not asked again for this time.
    state.pendingSlot.ownerAccepted = true;
    const slot = state.pendingSlot;
    return done(move(state, 'in_progress', 'owner accepted the proposed time'), say.acceptVerdict(slot), [
      toContact(say.ownerAccepts(slot, decision.message)),
    ]);
  }
  const answer = decision.decision === 'accept' ? 'decline' : decision.decision;
  state.pendingSlot = undefined;
  return done(move(state, 'in_progress', `owner answered: ${answer}`), say.answerVerdict(answer), [
    toContact(say.ownerAnswers(answer, decision.message)),
  ]);
}

function onContactReport(
  state: NegotiationState,
  report: ContactReport,
  say: NegotiationWording,
  slotState?: SlotState,
): Decision {
  const { terms } = state;
  const contact = terms.contactName;
  switch (report.kind) {
    case 'info':
      return done(state, say.infoPassedOn(), [toOwner(report.note)]);
    case 'declined':
      return done(move(state, 'awaiting_owner', `${contact} declined`), say.declinePassedOn(), [
        toOwner(say.contactDeclined(report.note)),
      ]);
    case 'answered':
      return done(move(state, 'completed', `${contact} answered`, { answer: report.note }), say.answerPassedOn(), [
        toOwner(say.contactAnswered(report.note)),
      ]);
    case 'proposal':
      return onProposal(state, report.slot, report.note, report.contactTimeZone);
    case 'confirmed': {
      const pending = state.pendingSlot;
      const slot = report.slot ?? pending!;
      const agreed = pending?.approved && slot.startUtc === pending.startUtc && slot.endUtc === pending.endUtc;
      // Nobody may confirm a time the owner has not agreed to: it is a proposal of that time.
      if (!agreed) return onProposal(state, slot, report.note);
      if (slotState === 'busy') return onSlotTaken(state, slot, say);
      if (slotState === 'unknown') {
        state.pendingSlot = { ...slot, approved: false };
        return done(move(state, 'awaiting_owner', 'the calendar could not be checked'), say.checkingWithOwner(slot), [
          toOwner(say.calendarUnknown(slot)),
        ]);
      }
      const meeting = terms.meeting!;
      const result: NegotiationResult = {
        meeting: {
          startUtc: slot.startUtc,
          endUtc: slot.endUtc,
          contactTimeZone: state.contactTimeZone,
          place: meeting.place,
          notes: report.note,
        },
      };
      if (!meeting.calendar) {
        return done(move(state, 'completed', 'meeting agreed', result), say.finalConfirmation(slot), [
          toOwner(say.meetingAgreed(slot)),
        ]);
      }
      state.booked = { startUtc: slot.startUtc, endUtc: slot.endUtc };
      return done(move(state, 'completed', 'meeting agreed and booked', result), say.finalConfirmation(slot), [
        { kind: 'book', slot: state.booked },
        toOwner(say.meetingAgreed(slot)),
      ]);
    }
  }
}

function onProposal(state: NegotiationState, slot: Slot, note?: string, contactTimeZone?: string): Decision {
  if (contactTimeZone) state.contactTimeZone = contactTimeZone;
  const say = new NegotiationWording(state.terms, state.contactTimeZone);
  const inside = fitsWindows(state.terms, slot);
  state.pendingSlot = { ...slot, approved: inside };
  if (inside)
    return done(move(state, 'in_progress', 'a time inside the owner’s windows was proposed'), say.timeWorks(slot), []);
  return done(
    move(state, 'awaiting_owner', 'a time outside the owner’s windows was proposed'),
    say.checkingWithOwner(slot),
    [toOwner(say.outsideWindows(slot, note))],
  );
}

/** The agreed time was taken in the owner's calendar meanwhile: not booked; the next option is offered. */
function onSlotTaken(state: NegotiationState, slot: Slot, say: NegotiationWording): Decision {
  state.pendingSlot = undefined;
  const next = (state.terms.meeting?.options ?? []).find(
    (o) => Date.parse(o.startUtc) >= Date.parse(slot.endUtc) || Date.parse(o.endUtc) <= Date.parse(slot.startUtc),
  );
  return done(
    move(state, 'in_progress', 'the agreed time was taken in the owner’s calendar'),
    say.slotTaken(slot, next),
    [],
  );
}

function reschedule(state: NegotiationState, slot: Slot, say: NegotiationWording): Decision {
  const before = state.booked!;
  state.booked = { startUtc: slot.startUtc, endUtc: slot.endUtc };
  state.bookingChanges = (state.bookingChanges ?? 0) + 1;
  const meeting = state.result && 'meeting' in state.result ? state.result.meeting : undefined;
  state.result = { meeting: { ...meeting!, startUtc: slot.startUtc, endUtc: slot.endUtc } };
  state.lastEvent = 'meeting moved by the owner';
  return done(state, say.meetingMovedVerdict(slot), [
    { kind: 'book', slot: state.booked, sequence: state.bookingChanges },
    toContact(say.meetingMoved(before, slot)),
  ]);
}

function cancelBooked(state: NegotiationState, reason: string | undefined, say: NegotiationWording): Decision {
  const slot = state.booked!;
  state.booked = undefined;
  state.bookingChanges = (state.bookingChanges ?? 0) + 1;
  return done(
    move(state, 'cancelled', 'meeting cancelled by the owner', { reason: reason ?? 'Cancelled by the owner.' }),
    say.meetingCancelVerdict(slot),
    [{ kind: 'unbook', slot, sequence: state.bookingChanges }, toContact(say.meetingCancelled(slot, reason))],
  );
}

/**
 * The time to re-check in the owner's calendar before `event` is decided: the contact
 * confirming the agreed time of a negotiation with a calendar, unless the owner accepted it.
 */
export function slotToCheck(state: NegotiationState, event: NegotiationEvent): Slot | undefined {
  if (event.kind !== 'contact' || event.report.kind !== 'confirmed' || !state.terms.meeting?.calendar) return undefined;
  if (rejection(state, event)) return undefined;
  const pending = state.pendingSlot;
  const slot = event.report.slot ?? pending;
  if (!slot || !pending?.approved || pending.ownerAccepted) return undefined;
  if (slot.startUtc !== pending.startUtc || slot.endUtc !== pending.endUtc) return undefined;
  return { startUtc: slot.startUtc, endUtc: slot.endUtc };
}

/** A slot the owner agreed to in advance: long enough, and inside one of their windows. */
export function fitsWindows(terms: NegotiationInput, slot: Slot): boolean {
  const { meeting } = terms;
  if (!meeting) return true;
  const start = Date.parse(slot.startUtc);
  const end = Date.parse(slot.endUtc);
  return (
    (end - start) / 60_000 >= meeting.durationMinutes &&
    meeting.windows.some((w) => start >= Date.parse(w.startUtc) && end <= Date.parse(w.endUtc))
  );
}

/**
 * When the runner must wake with a timer event if nothing arrives (`now` being the time it
 * asks): the deadline, or the next reminder, in the contact's daytime from whichever is
 * later, the reminder's due time or now (a worker back at night waits for the morning).
 * The last check, which gives up, need not wait for daytime. Undefined once finished.
 */
export function nextWakeAt(state: NegotiationState, now: number): number | undefined {
  // A booked meeting can be cancelled until it has taken place.
  if (state.booked) return Date.parse(state.booked.endUtc);
  if (isFinished(state.status)) return undefined;
  const { timing } = state.terms;
  const deadline = state.openedAt + timing.deadlineMs;
  if (state.status !== 'in_progress') return deadline;
  const due = state.lastContactAt + timing.nudgeAfterMs;
  const nudgeAt = state.nudges >= timing.maxNudges ? due : nextDaytime(Math.max(due, now), state.contactTimeZone);
  return Math.min(deadline, nudgeAt);
}

/** The negotiation as its query shows it. */
export function viewOf(state: NegotiationState): NegotiationView {
  return {
    taskId: state.terms.taskId,
    status: state.status,
    type: state.terms.type,
    contactId: state.terms.contactId,
    nudges: state.nudges,
    ...(state.pendingSlot && { pendingSlot: state.pendingSlot }),
    ...(state.result && { result: state.result }),
    lastEvent: state.lastEvent,
  };
}

function move(
  state: NegotiationState,
  status: NegotiationStatus,
  lastEvent: string,
  result?: NegotiationResult,
): NegotiationState {
  state.status = status;
  state.lastEvent = lastEvent;
  if (result) state.result = result;
  return state;
}

function done(state: NegotiationState, verdict: string, effects: NegotiationEffect[]): Decision {
  return { state, effects, verdict };
}

const toContact = (text: string): NegotiationEffect => ({ kind: 'tell-contact', text });
const toOwner = (text: string): NegotiationEffect => ({ kind: 'tell-owner', text });
