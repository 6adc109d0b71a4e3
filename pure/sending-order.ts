// A person's messages are read in the order they were sent, whatever order their signals
// arrived in (the gateway's path to the session can overtake itself: a voice note is
// downloaded before it is signalled, a reconnect's catch-up races live updates). Telegram
// message ids only grow within a private chat, so they are the sending order.
import type { InboxItem, SentMark } from '../contracts/session.ts';

/**
 * The inbox with its messages sorted by message id; notices and instructions keep their
 * places (they are not part of the person's own sequence).
 */
export function inSendingOrder(items: InboxItem[]): InboxItem[] {
  const messages = items
    .filter((item) => item.kind === 'message')
    .sort((a, b) => a.message.messageId - b.message.messageId);
  let next = 0;
  return items.map((item) => (item.kind === 'message' ? messages[next++]! : item));
}

/**
 * Where a message read later in a turn goes among what the turn has read so far (`order`
 * holds each reading's message id, undefined for an instruction): before the first reading
 * of a message sent after it, else at the end.
 */
export function placeInSendingOrder(order: Array<number | undefined>, messageId: number): number {
  const later = order.findIndex((id) => id !== undefined && id > messageId);
  return later === -1 ? order.length : later;
}

/**
 * A message sent before the newest one already answered arrived late: it is read as a
 * follow-up. Both its id and its date must be older, so that ids from another sequence
 * (the terminal simulator's) never make every later Telegram message look late.
 */
export function arrivedLate(message: SentMark, newestAnswered: SentMark | undefined): boolean {
  return (
    newestAnswered !== undefined &&
    message.messageId < newestAnswered.messageId &&
    Date.parse(message.sentAt) <= Date.parse(newestAnswered.sentAt)
  );
}

/** The newer of two marks, by message id. */
export function newerMark(a: SentMark | undefined, b: SentMark): SentMark {
  return a === undefined || b.messageId > a.messageId ? { messageId: b.messageId, sentAt: b.sentAt } : a;
}
