// The calendar's rules as pure functions, in milliseconds: free time and options, the
// negotiation's re-check, booking and cancellation, and the meeting with several people.
import { describe, expect, it } from 'vitest';
import type { GroupMeetingInput } from '../contracts/group-meeting.ts';
import type { ContactReport, NegotiationInput, Slot } from '../contracts/negotiation.ts';
import { freeWindows, meetingOptions } from '../pure/free-time.ts';
import { decideGroup, groupSlotToCheck, initialGroupState, nextGroupWakeAt } from '../workflows/group-meeting-rules.ts';
import type { GroupDecision, GroupState } from '../workflows/group-meeting-rules.ts';
import { decide, initialState, nextWakeAt, slotToCheck } from '../workflows/negotiation-rules.ts';
import type { NegotiationEvent, NegotiationState } from '../workflows/negotiation-rules.ts';

const HOUR = 3600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z'); // Monday, 13:00 Moscow
const iso = (ms: number) => new Date(ms).toISOString();

describe('free time', () => {
  const base = {
    timeZone: 'Europe/Berlin',
    workingHours: { start: 10, end: 19 },
    bufferMinutes: 15,
    durationMinutes: 60,
    notBefore: 0,
  };

  it('keeps working hours on the local clock across a daylight-saving change', () => {
    // Berlin moves to summer time on 29 March 2026: 10:00 local is 09:00 UTC before, 08:00 after.
    const limits = [{ start: Date.parse('2026-03-27T00:00:00Z'), end: Date.parse('2026-03-31T00:00:00Z') }];
    const windows = freeWindows({ ...base, limits, busy: [] });
    expect(windows.map((w) => [iso(w.start), iso(w.end)])).toEqual([
      ['2026-03-27T09:00:00.000Z', '2026-03-27T18:00:00.000Z'],
      ['2026-03-28T09:00:00.000Z', '2026-03-28T18:00:00.000Z'],
      ['2026-03-29T08:00:00.000Z', '2026-03-29T17:00:00.000Z'],
      ['2026-03-30T08:00:00.000Z', '2026-03-30T17:00:00.000Z'],
    ]);
  });

  it('cuts busy times with their buffers, drops what is too short, and nothing before now', () => {
    const day = { start: Date.parse('2026-03-03T00:00:00Z'), end: Date.parse('2026-03-04T00:00:00Z') };
    const busy = [
      { start: Date.parse('2026-03-03T10:00:00Z'), end: Date.parse('2026-03-03T11:00:00Z') },
      { start: Date.parse('2026-03-03T12:00:00Z'), end: Date.parse('2026-03-03T13:00:00Z') },
    ];
    const windows = freeWindows({ ...base, limits: [day], busy, notBefore: Date.parse('2026-03-03T09:20:00Z') });
    // 09:20–09:45 is too short; 11:15–11:45 too; then 13:15–18:00.
    expect(windows.map((w) => [iso(w.start), iso(w.end)])).toEqual([
      ['2026-03-03T13:15:00.000Z', '2026-03-03T18:00:00.000Z'],
    ]);
    expect(meetingOptions(windows, 60, 'Europe/Berlin')).toEqual([
      { startUtc: '2026-03-03T13:30:00.000Z', endUtc: '2026-03-03T14:30:00.000Z' },
      { startUtc: '2026-03-03T15:30:00.000Z', endUtc: '2026-03-03T16:30:00.000Z' },
    ]);
  });

  it('has no options when nothing is free', () => {
    const day = { start: Date.parse('2026-03-03T00:00:00Z'), end: Date.parse('2026-03-04T00:00:00Z') };
    const busy = [{ start: Date.parse('2026-03-03T08:00:00Z'), end: Date.parse('2026-03-03T19:00:00Z') }];
    expect(meetingOptions(freeWindows({ ...base, limits: [day], busy }), 60, 'Europe/Berlin')).toEqual([]);
  });
});

// --- A negotiation with the calendar connected -------------------------------------------

const WINDOW: Slot = { startUtc: '2026-03-05T09:00:00.000Z', endUtc: '2026-03-05T17:00:00.000Z' };
const FIRST: Slot = { startUtc: '2026-03-05T10:00:00.000Z', endUtc: '2026-03-05T11:00:00.000Z' };
const SECOND: Slot = { startUtc: '2026-03-05T13:00:00.000Z', endUtc: '2026-03-05T14:00:00.000Z' };

function terms(): NegotiationInput {
  return {
    taskId: 'n1',
    ownerId: 1,
    ownerName: 'Olga',
    ownerTimeZone: 'Europe/Moscow',
    contactId: 2,
    contactName: 'Anna',
    contactTimeZone: 'Europe/Berlin',
    type: 'meeting',
    brief: 'A call.',
    meeting: {
      durationMinutes: 60,
      windows: [WINDOW],
      options: [FIRST, SECOND],
      calendar: { telegramTaskQueue: 'telegram' },
    },
    timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 2, deadlineMs: 72 * HOUR },
  };
}

const contact = (report: ContactReport, slotState?: 'free' | 'busy' | 'unknown'): NegotiationEvent => ({
  kind: 'contact',
  report,
  ...(slotState && { slotState }),
});

function agreedOn(slot: Slot): NegotiationState {
  const opened = decide(initialState(terms(), T0), { kind: 'open' }, T0).state;
  return decide(opened, contact({ kind: 'proposal', slot }), T0 + HOUR).state;
}

describe('a negotiation with the owner’s calendar', () => {
  it('asks for the calendar to be re-checked only when the agreed time is being confirmed', () => {
    const state = agreedOn(FIRST);
    expect(slotToCheck(state, contact({ kind: 'confirmed' }))).toEqual(FIRST);
    expect(slotToCheck(state, contact({ kind: 'info', note: 'hi' }))).toBeUndefined();
    expect(slotToCheck(state, contact({ kind: 'confirmed', slot: SECOND }))).toBeUndefined();
  });

  it('books a time still free, and waits to the meeting’s end for a cancellation', () => {
    const d = decide(agreedOn(FIRST), contact({ kind: 'confirmed' }, 'free'), T0 + 2 * HOUR);
    expect(d.state.status).toBe('completed');
    expect(d.effects[0]).toEqual({ kind: 'book', slot: FIRST });
    expect(nextWakeAt(d.state, T0 + 2 * HOUR)).toBe(Date.parse(FIRST.endUtc));
    const after = decide(d.state, { kind: 'timer' }, Date.parse(FIRST.endUtc));
    expect(after.state.booked).toBeUndefined();
    expect(nextWakeAt(after.state, Date.parse(FIRST.endUtc))).toBeUndefined();
  });

  it('does not book a time taken meanwhile, and offers the next option', () => {
    const d = decide(agreedOn(FIRST), contact({ kind: 'confirmed' }, 'busy'), T0 + 2 * HOUR);
    expect(d.state.status).toBe('in_progress');
    expect(d.effects).toEqual([]);
    expect(d.state.pendingSlot).toBeUndefined();
    expect(d.verdict).toContain('was just taken');
    expect(d.verdict).toContain('offer Thu, 5 Mar 2026, 16:00 (Europe/Moscow)');
  });

  it('asks the owner when the calendar cannot be read; their accept books without asking it again', () => {
    const unknown = decide(agreedOn(FIRST), contact({ kind: 'confirmed' }, 'unknown'), T0 + 2 * HOUR);
    expect(unknown.state.status).toBe('awaiting_owner');
    expect(unknown.effects.map((e) => e.kind)).toEqual(['tell-owner']);
    const accepted = decide(unknown.state, { kind: 'owner', decision: { decision: 'accept' } }, T0 + 3 * HOUR);
    expect(slotToCheck(accepted.state, contact({ kind: 'confirmed' }))).toBeUndefined();
    const booked = decide(accepted.state, contact({ kind: 'confirmed' }), T0 + 4 * HOUR);
    expect(booked.effects[0]).toEqual({ kind: 'book', slot: FIRST });
  });

  it('moves a booked meeting: the same event rebooked with the next sequence, and the contact told', () => {
    const booked = decide(agreedOn(FIRST), contact({ kind: 'confirmed' }, 'free'), T0 + 2 * HOUR).state;
    const moved = decide(booked, { kind: 'reschedule', slot: SECOND }, T0 + 3 * HOUR);
    expect(moved.effects.map((e) => e.kind)).toEqual(['book', 'tell-contact']);
    expect(moved.effects[0]).toEqual({ kind: 'book', slot: SECOND, sequence: 1 });
    expect(moved.state.result).toMatchObject({ meeting: { startUtc: SECOND.startUtc } });
    expect(nextWakeAt(moved.state, T0 + 3 * HOUR)).toBe(Date.parse(SECOND.endUtc));
    const cancelled = decide(moved.state, { kind: 'cancel' }, T0 + 4 * HOUR);
    expect(cancelled.effects[0]).toEqual({ kind: 'unbook', slot: SECOND, sequence: 2 });
    expect(decide(agreedOn(FIRST), { kind: 'reschedule', slot: SECOND }, T0).rejected).toContain('no booked meeting');
  });

  it('cancels a booked meeting once: unbook and tell the contact; a second cancel is refused', () => {
    const booked = decide(agreedOn(FIRST), contact({ kind: 'confirmed' }, 'free'), T0 + 2 * HOUR).state;
    const cancelled = decide(booked, { kind: 'cancel' }, T0 + 3 * HOUR);
    expect(cancelled.state.status).toBe('cancelled');
    expect(cancelled.effects.map((e) => e.kind)).toEqual(['unbook', 'tell-contact']);
    expect(decide(cancelled.state, { kind: 'cancel' }, T0 + 4 * HOUR).rejected).toContain('already cancelled');
  });
});

// --- A meeting with several people ---------------------------------------------------------

const GUESTS = [
  { telegramId: 11, name: 'Dmitri', timeZone: 'Europe/Moscow' },
  { telegramId: 12, name: 'Anna', timeZone: 'Europe/Berlin' },
  { telegramId: 13, name: 'Chen', timeZone: 'America/New_York' },
];

function groupTerms(options = [FIRST, SECOND]): GroupMeetingInput {
  return {
    taskId: 'g1',
    ownerId: 1,
    ownerName: 'Olga',
    ownerTimeZone: 'Europe/Moscow',
    guests: GUESTS,
    brief: 'A kick-off.',
    meeting: { durationMinutes: 60, windows: [WINDOW], options, calendar: { telegramTaskQueue: 'telegram' } },
    timing: { nudgeAfterMs: 24 * HOUR, maxNudges: 1, deadlineMs: 7 * 24 * HOUR },
  };
}

function group(state: GroupState, ...steps: Array<[NegotiationEvent, number]>): GroupDecision[] {
  const out: GroupDecision[] = [];
  for (const [event, at] of steps) {
    const d = decideGroup(state, event, at);
    out.push(d);
    state = d.state;
  }
  return out;
}

const from = (id: number, report: ContactReport, slotState?: 'free' | 'busy' | 'unknown'): NegotiationEvent => ({
  kind: 'contact',
  report: { ...report, from: id },
  ...(slotState && { slotState }),
});
const confirm = { kind: 'confirmed' } as const;
const decline = { kind: 'declined' } as const;

describe('a meeting with several people', () => {
  const opened = () => decideGroup(initialGroupState(groupTerms(), T0), { kind: 'open' }, T0);

  it('proposes the first option to every guest, in their own zone first', () => {
    const d = opened();
    expect(d.effects.map((e) => (e.kind === 'tell-guest' ? e.guestId : e.kind))).toEqual([11, 12, 13]);
    const toChen = d.effects.find((e) => e.kind === 'tell-guest' && e.guestId === 13);
    expect(toChen && 'text' in toChen && toChen.text).toContain('Propose Thu, 5 Mar 2026, 05:00 (America/New_York)');
  });

  it('refuses reports from someone not invited, and confirmations of another time', () => {
    const { state } = opened();
    expect(decideGroup(state, from(99, confirm), T0).rejected).toContain('not invited');
    expect(decideGroup(state, from(11, { kind: 'confirmed', slot: SECOND }), T0).rejected).toContain(
      'Only the time proposed to everyone',
    );
  });

  it('books only when every guest has confirmed, after the calendar is re-checked', () => {
    const state = group(opened().state, [from(11, confirm), T0 + HOUR], [from(12, confirm), T0 + HOUR]).at(-1)!.state;
    expect(state.status).toBe('in_progress');
    expect(groupSlotToCheck(state, from(13, confirm))).toEqual(FIRST);
    const last = decideGroup(state, from(13, confirm, 'free'), T0 + 2 * HOUR);
    expect(last.state.status).toBe('completed');
    expect(last.effects.filter((e) => e.kind === 'book')).toEqual([{ kind: 'book', slot: FIRST }]);
    expect(last.effects.filter((e) => e.kind === 'tell-guest')).toHaveLength(3);
  });

  it('moves everyone to the next option when a guest declines; with none left, asks the owner', () => {
    const { state } = opened();
    const [, declined] = group(state, [from(12, confirm), T0 + HOUR], [from(11, decline), T0 + HOUR]);
    expect(declined!.state.candidate).toBe(1);
    expect(declined!.state.guests.map((g) => g.status)).toEqual(['waiting', 'waiting', 'waiting']);
    expect(declined!.effects.filter((e) => e.kind === 'tell-guest')).toHaveLength(3);
    const again = decideGroup(declined!.state, from(11, decline), T0 + 2 * HOUR);
    expect(again.state.status).toBe('awaiting_owner');
    expect(again.effects.map((e) => e.kind)).toEqual(['tell-owner']);
    // The owner goes ahead without Dmitri; the others confirm and it is booked for them.
    const [accepted, , done] = group(
      again.state,
      [{ kind: 'owner', decision: { decision: 'accept' } }, T0 + 3 * HOUR],
      [from(12, confirm), T0 + 4 * HOUR],
      [from(13, confirm, 'free'), T0 + 4 * HOUR],
    );
    expect(accepted!.verdict).toContain('Going ahead without Dmitri');
    expect(done!.state.status).toBe('completed');
    expect(done!.state.guests.map((g) => g.status)).toEqual(['excused', 'confirmed', 'confirmed']);
  });

  it('reminds a silent guest in their daytime, then asks the owner about them', () => {
    const { state } = opened();
    const wake = nextGroupWakeAt(state, T0)!;
    // 24 h after T0 is 05:00 in New York: Chen's reminder waits for 09:00 there (14:00 UTC).
    expect(iso(wake)).toBe('2026-03-03T10:00:00.000Z'); // Dmitri and Anna are due first, in their daytime
    const [first] = group(state, [{ kind: 'timer' }, wake]);
    expect(first!.state.guests.map((g) => g.nudges)).toEqual([1, 1, 0]);
    const chenWake = nextGroupWakeAt(first!.state, wake)!;
    expect(iso(chenWake)).toBe('2026-03-03T14:00:00.000Z');
    const [chen] = group(first!.state, [{ kind: 'timer' }, chenWake]);
    expect(chen!.state.guests[2]!.nudges).toBe(1);
    // A day later the reminders are used up: the owner is asked, once.
    const [asked] = group(chen!.state, [{ kind: 'timer' }, chenWake + 25 * HOUR]);
    expect(asked!.state.status).toBe('awaiting_owner');
    expect(asked!.effects.filter((e) => e.kind === 'tell-owner')).toHaveLength(3);
  });
});
