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

export async function catchUpMissedMessages(port: CatchUpPort, db: Db, incoming: TelegramIncoming): Promise<number> {
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
    for (const message of messages) {
      if ((await incoming.handle(message)) === 'delivered') handled += 1;
    }
  }
  if (handled > 0) log.info('Caught up with messages missed while disconnected', { handled });
  return handled;
}
