// The transport-independent heart of the gateway: an incoming private message becomes
// a recorded message and a signal on that person's session. The real Telegram gateway
// and the local chat simulator both call `receive`.
import type { Config } from '../infra/config.ts';
import type { Db } from '../infra/db.ts';
import { log } from '../infra/logger.ts';
import { displayNameOf, roleOf } from '../pure/people.ts';
import type { SessionClient } from '../clients/sessions.ts';
import { cleanIncomingText, storableText, storableValue } from '../pure/text.ts';
import type { Attachment } from '../contracts/session.ts';
import type { OwnerCommands } from './owner-commands.ts';

export interface InboundSender {
  telegramId: number;
  /** MTProto access hash, kept so replies can address this person after a restart. */
  accessHash?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
}

export interface InboundMessage {
  from: InboundSender;
  /** Telegram's message id, unique within the chat: the de-duplication key. */
  messageId: number;
  text: string;
  date?: Date;
  attachments?: Attachment[];
  notes?: string[];
}

export type ReceiveOutcome = 'delivered' | 'duplicate' | 'ignored-blocked' | 'command';

export class InvalidInboundMessage extends Error {}

export interface GatewayDeps {
  db: Db;
  sessions: SessionClient;
  config: Pick<Config, 'ownerTelegramId' | 'maxMessageChars'>;
  /** The owner's /commands; without it they reach the session as text. */
  commands?: OwnerCommands;
}

export class GatewayCore {
  constructor(private readonly deps: GatewayDeps) {}

  async receive(message: InboundMessage): Promise<ReceiveOutcome> {
    const { db, sessions, config } = this.deps;
    const { from } = message;
    if (!Number.isSafeInteger(from.telegramId) || from.telegramId <= 0) {
      throw new InvalidInboundMessage(`Not a Telegram user id: ${from.telegramId}`);
    }
    if (!Number.isSafeInteger(message.messageId) || message.messageId <= 0) {
      throw new InvalidInboundMessage(`Not a Telegram message id: ${message.messageId}`);
    }
    const telegramId = BigInt(from.telegramId);
    // Names as Telegram gave them, made storable (a NUL in a first name must not stop the message).
    const names = storableValue({
      ...(from.username !== undefined && { username: from.username }),
      ...(from.firstName !== undefined && { firstName: from.firstName }),
      ...(from.lastName !== undefined && { lastName: from.lastName }),
      ...(from.phone !== undefined && { phone: from.phone }),
      ...(from.accessHash !== undefined && { accessHash: from.accessHash }),
    });
    const user = await db.user.upsert({
      where: { telegramId },
      create: { telegramId, role: roleOf(from.telegramId, config.ownerTelegramId), ...names },
      update: names,
    });
    if (user.blocked && user.role !== 'owner') {
      log.info('Message from a blocked contact ignored', { telegramId: from.telegramId });
      return 'ignored-blocked';
    }

    // The full text is kept (made well-formed: PostgreSQL text cannot hold NUL or broken
    // UTF-16). A message already handed to the session is a duplicate (a gateway restart,
    // a catch-up after reconnecting); one recorded but not yet signalled is signalled now.
    const sentAt = message.date ?? new Date();
    const key = { chatId_messageId: { chatId: telegramId, messageId: BigInt(message.messageId) } };
    const recorded = await db.incomingMessage.upsert({
      where: key,
      create: {
        chatId: telegramId,
        messageId: BigInt(message.messageId),
        text: storableText(message.text),
        receivedAt: sentAt,
      },
      update: {},
    });
    if (recorded.signalledAt) return 'duplicate';
    const markHandled = () => db.incomingMessage.update({ where: key, data: { signalledAt: new Date() } });

    if (user.role === 'owner' && (await this.deps.commands?.handle(from.telegramId, message.messageId, message.text))) {
      await markHandled();
      return 'command';
    }

    const clean = cleanIncomingText(message.text, config.maxMessageChars);
    await sessions.deliverMessage(
      { telegramId: from.telegramId, displayName: displayNameOf(user, `id ${from.telegramId}`) },
      {
        messageId: message.messageId,
        text: clean.text,
        originalLength: clean.originalLength,
        truncated: clean.truncated,
        sentAt: sentAt.toISOString(),
        ...(message.attachments?.length && { attachments: message.attachments }),
        ...(message.notes?.length && { notes: message.notes }),
      },
    );
    await markHandled();
    return 'delivered';
  }
}
