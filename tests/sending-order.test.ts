// The session's ordering rules, as plain logic: messages in the inbox are taken in sending
// order (Telegram message ids) with notices and instructions left in place, a message read
// later in a turn slots in before later-sent ones, and what counts as a late follow-up.
import { describe, expect, it } from 'vitest';
import type { InboxItem, MessageReceivedInput } from '../contracts/session.ts';
import { arrivedLate, inSendingOrder, placeInSendingOrder } from '../pure/sending-order.ts';
import { SessionState } from '../workflows/session-state.ts';

const message = (messageId: number): MessageReceivedInput => ({
  messageId,
  text: `m${messageId}`,
  originalLength: 3,
  truncated: false,
  sentAt: '2026-11-22T10:00:00Z',
});
const item = (messageId: number): InboxItem => ({ kind: 'message', message: message(messageId) });
const notice: InboxItem = {
  kind: 'notice',
  notice: { noticeId: 'n', fromTelegramId: 1, fromName: 'Olga', text: 'hi' },
};
const ids = (items: InboxItem[]) => items.map((i) => (i.kind === 'message' ? i.message.messageId : i.kind));

describe('sending order', () => {
  it('sorts the messages by message id and leaves notices and instructions where they arrived', () => {
    expect(ids(inSendingOrder([item(5), notice, item(3), item(4)]))).toEqual([3, 'notice', 4, 5]);
    expect(ids(inSendingOrder([item(1), item(2)]))).toEqual([1, 2]);
    expect(inSendingOrder([])).toEqual([]);
  });

  it('places a message read later in a turn before the first one sent after it', () => {
    expect(placeInSendingOrder([20, 30], 10)).toBe(0);
    expect(placeInSendingOrder([10, undefined, 30], 20)).toBe(2);
    expect(placeInSendingOrder([10, 20], 30)).toBe(2);
    expect(placeInSendingOrder([], 7)).toBe(0);
  });

  it('calls a message late only when something sent after it was already answered', () => {
    const at = (messageId: number, sentAt: string) => ({ messageId, sentAt });
    const answered = at(50, '2026-11-22T10:00:05Z');
    expect(arrivedLate(at(45, '2026-11-22T10:00:01Z'), answered)).toBe(true);
    expect(arrivedLate(at(49, '2026-11-22T10:00:05Z'), answered)).toBe(true);
    expect(arrivedLate(at(51, '2026-11-22T10:00:06Z'), answered)).toBe(false);
    expect(arrivedLate(at(45, '2026-11-22T10:00:01Z'), undefined)).toBe(false);
    // A smaller id from another sequence, sent after what was answered (terminal simulator ids
    // are far larger than Telegram's): not late.
    expect(arrivedLate(at(700, '2026-11-22T11:00:00Z'), at(1_763_800_000_000_000, '2026-11-22T10:00:00Z'))).toBe(false);
  });

  it('takes the inbox in sending order when asked, and remembers the newest id across continue-as-new', () => {
    const state = new SessionState();
    for (const id of [12, 10, 11]) state.enqueueMessage(message(id));
    expect(ids(state.takeInbox({ inSendingOrder: true }))).toEqual([10, 11, 12]);
    const carried = new SessionState(state.snapshot());
    expect(carried.newestMessage?.messageId).toBe(12);
    // Sessions that ran before the change keep reading in arrival order.
    for (const id of [14, 13]) carried.enqueueMessage(message(id));
    expect(ids(carried.takeInbox())).toEqual([14, 13]);
    expect(carried.newestMessage?.messageId).toBe(14);
    // A late one is still taken (never dropped as a duplicate).
    carried.enqueueMessage(message(9));
    expect(ids(carried.takeInbox({ inSendingOrder: true }))).toEqual([9]);
    expect(carried.newestMessage?.messageId).toBe(14);
    expect(new SessionState({ ...carried.snapshot(), newestMessage: undefined }).newestMessage).toBeUndefined();
  });
});
