// Saved Messages as control chat: what the owner typed there while the gateway was down.
// The general catch-up reads unread chats, and one's own Saved Messages are never unread,
// so this reads that chat after the last instruction handled. The own-send record and the
// scheduled flag keep the assistant's own messages there from being taken as the owner's.
import type { Api } from 'telegram';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import type { TelegramIncoming } from './incoming.ts';

const MAX_MESSAGES = 50;

/** GramJS `getMessages('me', { limit, minId })`: Saved Messages newer than `afterMessageId`, in any order. */
export type SavedMessagesAfter = (afterMessageId: number, limit: number) => Promise<Iterable<Api.Message>>;

export async function catchUpSavedMessages(
  messagesAfter: SavedMessagesAfter,
  db: Db,
  ownerTelegramId: number,
  incoming: TelegramIncoming,
): Promise<number> {
  const last = await db.incomingMessage.findFirst({
    where: { chatId: BigInt(ownerTelegramId) },
    orderBy: { messageId: 'desc' },
    select: { messageId: true },
  });
  // Before the owner's first instruction there is no line to read from: older notes in
  // Saved Messages are the owner's own, not instructions.
  if (!last) return 0;
  const messages = [...(await messagesAfter(Number(last.messageId), MAX_MESSAGES))].sort((a, b) => a.id - b.id);
  let handled = 0;
  for (const message of messages) {
    if ((await incoming.handle(message)) === 'delivered') handled += 1;
  }
  if (handled > 0) log.info('Caught up with instructions typed in Saved Messages while disconnected', { handled });
  return handled;
}
