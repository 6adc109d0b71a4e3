// Every rule of a negotiation, checked on the pure decide() with fixed instants: no
// Temporal, no database, milliseconds. The Temporal-level behaviour (timers, updates,
// sessions) is in negotiation.test.ts.
import { describe, expect, it } from 'vitest';
import type { ContactReport, NegotiationInput, OwnerDecision, Slot } from '../contracts/negotiation.ts';
import { decide, initialState, nextWakeAt, rejection } from '../workflows/negotiation-rules.ts';
import type { Decision, NegotiationEvent, NegotiationState } from '../workflows/negotiation-rules.ts';

const HOUR = 3600_000;
/** Monday 2 March 2026, 11:00 in Berlin (UTC+1), 13:00 in Moscow. */
const T0 = Date.parse('2026-03-02T10:00:00Z');

/** Thursday 5 March, 12:00–20:00 Moscow = 10:00–18:00 Berlin. */
const WINDOW: Slot = { startUtc: '2026-03-05T09:00:00.000Z', endUtc: '2026-03-05T17:00:00.000Z' };
const INSIDE: Slot = { startUtc: '2026-03-05T14:00:00.000Z', endUtc: '2026-03-05T15:00:00.000Z' };
const OUTSIDE: Slot = { startUtc: '2026-03-05T07:00:00.000Z', endUtc: '2026-03-05T08:00:00.000Z' };

function terms(over: Partial<NegotiationInput> = {}): NegotiationInput {
  return {
    taskId: 'n1',
    ownerId: 1,
    ownerName: 'Olga',
    ownerTimeZone: 'Europe/Moscow',
    contactId: 2,
    contactName: 'Anna',
    contactTimeZone: 'Europe/Berlin',
    type: 'meeting',
    brief: 'A one-hour call about the Q4 budget.',
    meeting: { durationMinutes: 60, windows: [WINDOW], place: 'Zoom' },
    timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 2, deadlineMs: 72 * HOUR },
    ...over,
  };
}

function opened(t = terms(), at = T0): NegotiationState {
  return decide(initialState(t, at), { kind: 'open' }, at).state;
}

/** Applies events in order, each at its instant; returns every decision. */
function play(state: NegotiationState, ...steps: Array<[NegotiationEvent, number]>): Decision[] {
  const out: Decision[] = [];
  for (const [event, at] of steps) {
    const decision = decide(state, event, at);
    out.push(decision);
    state = decision.state;
  }
  return out;
}

const contact = (report: ContactReport): NegotiationEvent => ({ kind: 'contact', report });
const owner = (decision: OwnerDecision): NegotiationEvent => ({ kind: 'owner', decision });
const timer: NegotiationEvent = { kind: 'timer' };
const toContact = (d: Decision) => d.effects.filter((e) => e.kind === 'tell-contact').map((e) => e.text);
const toOwner = (d: Decision) => d.effects.filter((e) => e.kind === 'tell-owner').map((e) => e.text);

describe('opening', () => {
  it('opens with the brief and the owner’s windows in both zones, and only once', () => {
    const d = decide(initialState(terms(), T0), { kind: 'open' }, T0);
    expect(d.state.status).toBe('in_progress');
    const [opening] = toContact(d);
    expect(opening).toContain('A one-hour call about the Q4 budget.');
    expect(opening).toMatch(/12:00 \(Europe\/Moscow\) – 20:00 \(Europe\/Moscow\) = .*10:00 \(Europe\/Berlin\) – 18:00/);
    expect(opening).toContain('update_conversation (task n1)');
    expect(decide(d.state, { kind: 'open' }, T0).rejected).toBe('The negotiation is already open.');
  });

  it('never changes the state it was given', () => {
    const state = opened();
    const copy = structuredClone(state);
    decide(state, contact({ kind: 'proposal', slot: OUTSIDE }), T0 + HOUR);
    decide(state, timer, T0 + 100 * HOUR);
    expect(state).toEqual(copy);
  });
});

describe('windows', () => {
  it('takes a time inside the owner’s windows and asks the contact to confirm it back', () => {
    const [d] = play(opened(), [contact({ kind: 'proposal', slot: INSIDE }), T0 + HOUR]);
    expect(d!.state).toMatchObject({ status: 'in_progress', pendingSlot: { ...INSIDE, approved: true } });
    expect(d!.verdict).toMatch(/^That time works for Olga: .*17:00 \(Europe\/Moscow\).*15:00 \(Europe\/Berlin\)/);
    expect(d!.effects).toEqual([]);
  });

  it('escalates a time outside the windows, or too short for the meeting, to the owner', () => {
    const tooShort: Slot = { startUtc: '2026-03-05T14:00:00.000Z', endUtc: '2026-03-05T14:30:00.000Z' };
    for (const slot of [OUTSIDE, tooShort]) {
      const [d] = play(opened(), [contact({ kind: 'proposal', slot, note: 'mornings suit me' }), T0 + HOUR]);
      expect(d!.state).toMatchObject({ status: 'awaiting_owner', pendingSlot: { ...slot, approved: false } });
      expect(toOwner(d!)[0]).toMatch(/^Anna proposes .* outside your windows .* They say: mornings suit me\./);
      expect(d!.verdict).toContain('do not agree to it');
    }
  });

  it('rejects a time that ends before it starts, and meeting times in a question', () => {
    const backwards = { startUtc: INSIDE.endUtc, endUtc: INSIDE.startUtc };
    expect(decide(opened(), contact({ kind: 'proposal', slot: backwards }), T0).rejected).toBe(
      'A time must end after it starts.',
    );
    const question = opened(terms({ type: 'question', meeting: undefined }));
    expect(decide(question, contact({ kind: 'proposal', slot: INSIDE }), T0).rejected).toMatch(
      /is a question, not a meeting/,
    );
  });

  it('keeps the zone the contact states for later times', () => {
    const [d] = play(opened(), [contact({ kind: 'proposal', slot: INSIDE, contactTimeZone: 'Asia/Tokyo' }), T0]);
    expect(d!.state.contactTimeZone).toBe('Asia/Tokyo');
    expect(d!.verdict).toContain('(Asia/Tokyo)');
  });
});

describe('confirm-back', () => {
  it('agrees a meeting only when the contact confirms the approved time', () => {
    const [, confirmed] = play(
      opened(),
      [contact({ kind: 'proposal', slot: INSIDE }), T0 + HOUR],
      [contact({ kind: 'confirmed', note: 'see you' }), T0 + 2 * HOUR],
    );
    expect(confirmed!.state.status).toBe('completed');
    expect(confirmed!.state.result).toEqual({
      meeting: { ...INSIDE, contactTimeZone: 'Europe/Berlin', place: 'Zoom', notes: 'see you' },
    });
    expect(confirmed!.verdict).toMatch(/Final confirmation to Anna: .*, Zoom\. Thank them\./);
    expect(toOwner(confirmed!)[0]).toMatch(/^✅ Meeting with Anna agreed: .*17:00 \(Europe\/Moscow\)/);
  });

  it('takes a confirmation of another time as a proposal of that time', () => {
    const [, confirmed] = play(
      opened(),
      [contact({ kind: 'proposal', slot: INSIDE }), T0],
      [contact({ kind: 'confirmed', slot: OUTSIDE }), T0 + HOUR],
    );
    expect(confirmed!.state.status).toBe('awaiting_owner');
    expect(confirmed!.state.pendingSlot).toEqual({ ...OUTSIDE, approved: false });
  });

  it('takes a confirmation of an unapproved time as a proposal, and rejects one with no time at all', () => {
    const [escalated, confirmed] = play(
      opened(),
      [contact({ kind: 'proposal', slot: OUTSIDE }), T0],
      [contact({ kind: 'confirmed' }), T0 + HOUR],
    );
    expect(escalated!.state.status).toBe('awaiting_owner');
    expect(confirmed!.state.status).toBe('awaiting_owner');
    expect(rejection(opened(), contact({ kind: 'confirmed' }))).toMatch(/^There is no agreed time to confirm yet/);
  });
});

describe('the owner’s decisions', () => {
  it('accepts a time outside the windows: the contact confirms it back, then it is agreed', () => {
    const [, accepted, confirmed] = play(
      opened(),
      [contact({ kind: 'proposal', slot: OUTSIDE }), T0],
      [owner({ decision: 'accept', message: 'fine, early is ok' }), T0 + 5 * HOUR],
      [contact({ kind: 'confirmed' }), T0 + 6 * HOUR],
    );
    expect(accepted!.state).toMatchObject({ status: 'in_progress', pendingSlot: { approved: true } });
    expect(accepted!.verdict).toMatch(/^Accepted: I'm confirming .* with Anna/);
    expect(toContact(accepted!)[0]).toMatch(/^Olga accepts .* and says: fine, early is ok\. Confirm this exact time/);
    expect(confirmed!.state.status).toBe('completed');
  });

  it('passes a decline or a counter-proposal on, and waits for a new time', () => {
    const [, declined] = play(
      opened(),
      [contact({ kind: 'proposal', slot: OUTSIDE }), T0],
      [owner({ decision: 'decline' }), T0 + HOUR],
    );
    expect(declined!.state).toMatchObject({ status: 'in_progress', pendingSlot: undefined });
    expect(toContact(declined!)[0]).toMatch(
      /^Olga's answer: that does not work\. Pass it on .* new proposals must fit/,
    );
    expect(declined!.verdict).toBe('Declined: Anna is told, and asked for another time.');

    const [, countered] = play(
      opened(),
      [contact({ kind: 'declined' }), T0],
      [owner({ decision: 'counter', message: 'How about Friday?' }), T0 + HOUR],
    );
    expect(toContact(countered!)[0]).toContain("Olga's answer: How about Friday?");
    expect(countered!.verdict).toBe('Passed your answer on to Anna.');
  });

  it('rejects an accept with nothing to accept, and a counter with nothing to say', () => {
    expect(decide(opened(), owner({ decision: 'accept' }), T0).rejected).toMatch(
      /^There is no proposed time to accept in conversation n1/,
    );
    const rejected = decide(opened(), owner({ decision: 'counter', message: '  ' }), T0);
    expect(rejected.rejected).toBe('A counter-proposal needs a message for Anna.');
    expect(rejected.effects).toEqual([]);
  });
});

describe('nudges, in the contact’s daytime', () => {
  it('reminds a silent contact after a day, in their daytime, then gives up after the last reminder', () => {
    const state = opened(terms({ timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 2, deadlineMs: 100 * HOUR } }));
    expect(nextWakeAt(state, T0)).toBe(T0 + 24 * HOUR);
    const [first] = play(state, [timer, T0 + 24 * HOUR]);
    expect(first!.state.nudges).toBe(1);
    expect(toContact(first!)).toEqual([
      'Anna has not answered yet. Send a short, friendly reminder about: A one-hour call about the Q4 budget.',
    ]);
    expect(nextWakeAt(first!.state, T0 + 24 * HOUR)).toBe(T0 + 48 * HOUR);
    const [second, last] = play(first!.state, [timer, T0 + 48 * HOUR], [timer, T0 + 72 * HOUR]);
    expect(second!.state.nudges).toBe(2);
    expect(last!.state).toMatchObject({ status: 'expired', result: { reason: 'Anna did not answer.' } });
    expect(toOwner(last!)).toEqual(["⌛ Anna has not answered after 2 reminders; I've stopped (conversation n1)."]);
    expect(toContact(last!)).toEqual([]);
  });

  it('waits for the morning in the contact’s zone rather than nudging at night', () => {
    const lateEvening = Date.parse('2026-03-02T21:30:00Z'); // 22:30 in Berlin
    const state = opened(terms(), lateEvening);
    const morning = Date.parse('2026-03-04T08:00:00Z'); // 09:00 in Berlin, the day after the nudge fell due
    expect(nextWakeAt(state, lateEvening)).toBe(morning);
    // A timer at night (say, a slow wake-up) sends nothing.
    const [night] = play(state, [timer, lateEvening + 25 * HOUR]);
    expect(night!.effects).toEqual([]);
    expect(night!.state.nudges).toBe(0);
    const [atMorning] = play(state, [timer, morning]);
    expect(atMorning!.state.nudges).toBe(1);
  });

  it('after a downtime that ends at night, waits for the morning instead of nudging or spinning', () => {
    const state = opened(); // a reminder is due at T0 + 24 h, 11:00 in Berlin
    const backAtNight = Date.parse('2026-03-03T22:30:00Z'); // the worker is back at 23:30 in Berlin
    const [night] = play(state, [timer, backAtNight]);
    expect(night!.effects).toEqual([]);
    expect(nextWakeAt(night!.state, backAtNight)).toBe(Date.parse('2026-03-04T08:00:00Z'));
  });

  it('counts silence from the contact’s last word, which also resets the reminders', () => {
    const [nudged, reported] = play(
      opened(),
      [timer, T0 + 24 * HOUR],
      [contact({ kind: 'info', note: 'Busy this week, back on Monday' }), T0 + 30 * HOUR],
    );
    expect(nudged!.state.nudges).toBe(1);
    expect(reported!.state.nudges).toBe(0);
    expect(toOwner(reported!)).toEqual(['Busy this week, back on Monday']);
    expect(reported!.verdict).toBe('Passed on to Olga.');
    expect(nextWakeAt(reported!.state, T0 + 30 * HOUR)).toBe(T0 + 54 * HOUR);
  });

  it('does not remind while the owner is to decide', () => {
    const [d] = play(opened(), [contact({ kind: 'declined', note: 'not this week' }), T0 + HOUR]);
    expect(d!.state.status).toBe('awaiting_owner');
    expect(nextWakeAt(d!.state, T0 + HOUR)).toBe(T0 + 72 * HOUR);
    expect(play(d!.state, [timer, T0 + 30 * HOUR])[0]!.effects).toEqual([]);
  });
});

describe('deadline', () => {
  it('expires at the deadline, telling the owner and closing the topic with the contact', () => {
    const [d] = play(opened(terms({ timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 5, deadlineMs: 10 * HOUR } })), [
      timer,
      T0 + 10 * HOUR,
    ]);
    expect(d!.state).toMatchObject({ status: 'expired', result: { reason: 'No agreement before the deadline.' } });
    expect(toOwner(d!)).toEqual(["⌛ No agreement with Anna before the deadline; I've stopped (conversation n1)."]);
    expect(toContact(d!)[0]).toMatch(/request has expired; close the topic politely/);
    expect(nextWakeAt(d!.state, T0)).toBeUndefined();
  });

  it('wakes for the deadline even when a reminder would wait for the morning', () => {
    const lateEvening = Date.parse('2026-03-02T21:30:00Z');
    const t = terms({ timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 2, deadlineMs: 26 * HOUR } });
    expect(nextWakeAt(opened(t, lateEvening), lateEvening)).toBe(lateEvening + 26 * HOUR);
  });
});

describe('escalation and answers', () => {
  it('asks the owner when the contact declines', () => {
    const [d] = play(opened(), [contact({ kind: 'declined', note: 'too busy' }), T0]);
    expect(d!.state).toMatchObject({ status: 'awaiting_owner', lastEvent: 'Anna declined' });
    expect(toOwner(d!)).toEqual(['Anna declined: too busy. Tell me how to continue, or cancel (conversation n1).']);
  });

  it('completes a question with the answer, passed to the owner', () => {
    const question = opened(terms({ type: 'question', meeting: undefined, brief: 'Favourite colour?' }));
    const [d] = play(question, [contact({ kind: 'answered', note: 'green' }), T0]);
    expect(d!.state).toMatchObject({ status: 'completed', result: { answer: 'green' } });
    expect(toOwner(d!)).toEqual(['✅ Anna answered: green']);
    expect(d!.verdict).toMatch(/^Recorded\. Thank Anna/);
  });
});

describe('cancellation', () => {
  it('cancels at the owner’s word, telling the contact, and then accepts nothing more', () => {
    const [d] = play(opened(), [{ kind: 'cancel', reason: 'plans changed' }, T0]);
    expect(d!.state).toMatchObject({ status: 'cancelled', result: { reason: 'plans changed' } });
    expect(toContact(d!)[0]).toMatch(/^Olga no longer needs this/);
    expect(d!.verdict).toBe('Cancelled the conversation with Anna; they are told it is no longer needed.');
    for (const event of [
      { kind: 'cancel' } as const,
      owner({ decision: 'decline' }),
      contact({ kind: 'info', note: 'hi' }),
    ]) {
      expect(decide(d!.state, event, T0).rejected).toBe('Conversation n1 is already cancelled.');
    }
    expect(decide(d!.state, timer, T0 + 100 * HOUR).effects).toEqual([]);
  });
});
