// GramJS does not replay updates missed while disconnected (its catchUp() is a stub),
// so after every (re)connect the gateway reads unread private chats itself: all their
// unread messages, not only those after the newest one recorded, so that a hole (a
// message whose receive failed while a later one went through) is filled. Messages it
// already handled are recognised by chat and message id and skipped.
import type { Api } from 'telegram';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import type { TelegramIncoming } from './incoming.ts';

export interface UnreadChat {
  chatId: number;
  unreadCount: number;
}

/** The two reads catch-up needs from Telegram (GramJS getDialogs / getMessages). */
export interface CatchUpPort {
  unreadPrivateChats(): Promise<UnreadChat[]>;
  /** Messages newer than `afterMessageId`, oldest first, at most `limit`. */
  messagesAfter(chatId: number, afterMessageId: number, limit: number): Promise<Api.Message[]>;
}

const MAX_PER_CHAT = 100;

export async function catchUpMissedMessages(
  port: CatchUpPort,
  db: Db,
  incoming: Pick<TelegramIncoming, 'handle'>,
): Promise<number> {
  let handled = 0;
  for (const chat of await port.unreadPrivateChats()) {
    // The newest `unreadCount` messages (after id 0), minus those signalled already.
    const messages = await port.messagesAfter(chat.chatId, 0, Math.min(chat.unreadCount, MAX_PER_CHAT));
    const signalled = await db.incomingMessage.findMany({
      where: {
        chatId: BigInt(chat.chatId),
        messageId: { in: messages.map((m) => BigInt(m.id)) },
        signalledAt: { not: null },
      },
      select: { messageId: true },
    });
    const done = new Set(signalled.map((m) => Number(m.messageId)));
    const missed = messages.filter((m) => !done.has(m.id));
    // Queued all at once, in Telegram's order, into the chat's queue that live updates use too.
    const outcomes = await Promise.allSettled(missed.map((message) => incoming.handle(message)));
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled' && outcome.value === 'delivered') handled += 1;
      if (outcome.status === 'rejected') {
        log.error('A missed Telegram message was not handled', { messageId: missed[i]!.id, error: outcome.reason });
      }
    }
  }
  if (handled > 0) log.info('Caught up with messages missed while disconnected', { handled });
  return handled;
}
