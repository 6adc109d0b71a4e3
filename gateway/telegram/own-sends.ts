// The record of what the assistant sent into the owner's Saved Messages. There every
// message is `out` and from the owner's own account, so only this record tells the
// assistant's sends from the owner's typing: read it wrong one way and the assistant
// answers itself in a loop, the other way and an instruction of the owner's is lost.
// A row is written before each send and completed with Telegram's message id after it;
// the update of a send can arrive before the send's answer (or after a crash, never), so
// a message not known by id is still recognised by its text while its send is pending.
import { createHash } from 'node:crypto';
import type { Db } from '../../infra/db.ts';
import { PENDING_OWN_SEND_MINUTES } from '../../pure/control-chat.ts';

/** Told by the transport around every part it sends. */
export interface SendLog {
  beforeSend(chatId: number, randomId: bigint | string, text: string): Promise<void>;
  afterSend(chatId: number, randomId: bigint | string, messageId: number): Promise<void>;
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class OwnSendRecord implements SendLog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async beforeSend(chatId: number, randomId: bigint | string, text: string): Promise<void> {
    const key = { chatId: BigInt(chatId), randomId: String(randomId) };
    await this.db.ownSend.upsert({
      where: { chatId_randomId: key },
      create: { ...key, textHash: textHash(text) },
      update: {},
    });
  }

  async afterSend(chatId: number, randomId: bigint | string, messageId: number): Promise<void> {
    // 0: Telegram's answer named no id (nothing to learn); the text match still applies.
    if (messageId <= 0) return;
    await this.db.ownSend.updateMany({
      where: { chatId: BigInt(chatId), randomId: String(randomId) },
      data: { messageId: BigInt(messageId) },
    });
  }

  /**
   * Whether message `messageId` with `text` in chat `chatId` is one the assistant sent:
   * known by its id, or the text of a send whose id is not known yet (then the id is
   * learnt, so the same text typed later by the owner is not mistaken for it).
   */
  async isOwnSend(chatId: number, messageId: number, text: string): Promise<boolean> {
    const chat = BigInt(chatId);
    if (
      await this.db.ownSend.findFirst({
        where: { chatId: chat, messageId: BigInt(messageId) },
        select: { chatId: true },
      })
    )
      return true;
    const pending = await this.db.ownSend.findFirst({
      where: {
        chatId: chat,
        messageId: null,
        textHash: textHash(text),
        createdAt: { gte: new Date(this.now().getTime() - PENDING_OWN_SEND_MINUTES * 60_000) },
      },
      orderBy: { createdAt: 'asc' },
    });
    if (!pending) return false;
    await this.afterSend(chatId, pending.randomId, messageId);
    return true;
  }
}
