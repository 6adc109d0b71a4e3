// GramJS does not replay updates missed while disconnected (its catchUp() is a stub),
// so after every (re)connect the gateway reads unread private chats itself. Messages
// it already handled are recognised by chat and message id and skipped.
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
    const last = await db.incomingMessage.findFirst({
      where: { chatId: BigInt(chat.chatId) },
      orderBy: { messageId: 'desc' },
      select: { messageId: true },
    });
    const messages = await port.messagesAfter(
      chat.chatId,
      Number(last?.messageId ?? 0),
      Math.min(chat.unreadCount, MAX_PER_CHAT),
    );
    // Queued all at once, in Telegram's order, into the chat's queue that live updates use too.
    const outcomes = await Promise.allSettled(messages.map((message) => incoming.handle(message)));
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'fulfilled' && outcome.value === 'delivered') handled += 1;
      if (outcome.status === 'rejected') {
        log.error('A missed Telegram message was not handled', { messageId: messages[i]!.id, error: outcome.reason });
      }
    }
  }
  if (handled > 0) log.info('Caught up with messages missed while disconnected', { handled });
  return handled;
}
