// The owner's control chat on real Telegram: where the owner's messages to the assistant
// come from and where everything the workflows send to the owner goes. Workflows always
// address the owner by OWNER_TELEGRAM_ID; this module turns that into the right chat:
// - companion bot: the owner's own bot writes to the owner (a chat that notifies);
// - Saved Messages: the owner's account writes to itself, scheduling what must ring;
// - direct chat (assistant account): the owner is a chat like any other.
import { Api } from 'telegram';
import type { TelegramClient } from 'telegram';
import bigInt from 'big-integer';
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import type { SendFileInput, SendMessageInput } from '../../contracts/telegram.ts';
import {
  controlChatKind,
  PRIVATE_BOT_ANSWER,
  RING_DELAY_SECONDS,
  shouldRingInSavedMessages,
} from '../../pure/control-chat.ts';
import type { ControlChatKind } from '../../pure/control-chat.ts';
import type { ChatTransport } from '../transport.ts';
import type { IncomingOutcome, TelegramIncoming } from './incoming.ts';
import type { DecisionButtons } from './decision-buttons.ts';
import { TelegramTransport } from './outgoing.ts';
import type { Invoke } from './outgoing.ts';
import { OwnSendRecord } from './own-sends.ts';

type ControlChatConfig = Pick<
  Config,
  'ownerTelegramId' | 'telegramAccount' | 'ownerBotToken' | 'telegramSendIntervalMs'
>;

/** Sends to the owner go to the control chat; sends to anyone else to the account's own chats. */
export class OwnerRoutedTransport implements ChatTransport {
  constructor(
    private readonly ownerTelegramId: number,
    private readonly contacts: ChatTransport,
    private readonly owner: ChatTransport,
  ) {}

  send(input: SendMessageInput): Promise<number[]> {
    return (input.chatId === this.ownerTelegramId ? this.owner : this.contacts).send(input);
  }

  typing(chatId: number): Promise<void> {
    return (chatId === this.ownerTelegramId ? this.owner : this.contacts).typing(chatId);
  }

  sendFile(input: SendFileInput): Promise<number> {
    return (input.chatId === this.ownerTelegramId ? this.owner : this.contacts).sendFile(input);
  }
}

/** Whether a message is in the account's chat with itself (Saved Messages). */
export function isSavedMessages(message: Api.Message, selfId: number): boolean {
  const peer = message.peerId;
  return peer instanceof Api.PeerUser && Number(peer.userId.toString()) === selfId;
}

/**
 * Saved Messages as control chat (own account, no bot). Every message there is the
 * account's own; the assistant's are the ones delivered from its schedule or named in
 * the own-send record, every other one is the owner typing an instruction.
 */
export class SavedMessagesControl {
  readonly ownSends: OwnSendRecord;

  constructor(
    private readonly db: Db,
    private readonly ownerTelegramId: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.ownSends = new OwnSendRecord(db, now);
  }

  async classify(message: Api.Message): Promise<'owner' | 'own-send' | undefined> {
    if (!isSavedMessages(message, this.ownerTelegramId)) return undefined;
    // A scheduled message is delivered under a new id: only the flag says it was ours.
    if (message.fromScheduled) return 'own-send';
    if (await this.ownSends.isOwnSend(this.ownerTelegramId, message.id, message.message ?? '')) return 'own-send';
    return 'owner';
  }

  /** A Unix time a few seconds ahead when the owner is away from the chat, so the message rings. */
  async scheduleFor(): Promise<number | undefined> {
    const last = await this.db.incomingMessage.findFirst({
      where: { chatId: BigInt(this.ownerTelegramId) },
      orderBy: { receivedAt: 'desc' },
      select: { receivedAt: true },
    });
    const now = this.now();
    if (!shouldRingInSavedMessages(last?.receivedAt, now)) return undefined;
    return Math.floor(now.getTime() / 1000) + RING_DELAY_SECONDS;
  }

  transport(invoke: Invoke, sendIntervalMs: number): ChatTransport {
    const sends = new TelegramTransport({
      invoke,
      peerFor: async () => new Api.InputPeerSelf(),
      sendIntervalMs,
      sendLog: this.ownSends,
      scheduleFor: () => this.scheduleFor(),
    });
    return {
      send: (input) => sends.send(input),
      sendFile: (input) => sends.sendFile(input),
      // "typing…" in one's own Saved Messages shows nothing to anyone.
      typing: async () => undefined,
    };
  }
}

/**
 * The companion bot's side: the owner's messages to the bot go to the owner's session
 * (through the same incoming path as any message); anyone else who finds the bot is told
 * once, in one sentence, that it is private, and reaches nothing.
 */
export class CompanionBotInbox {
  constructor(
    private readonly deps: {
      db: Db;
      ownerTelegramId: number;
      incoming: TelegramIncoming;
      /** The bot's own transport (to answer strangers). */
      replies: ChatTransport;
    },
  ) {}

  async handle(message: Api.Message): Promise<IncomingOutcome | 'ignored-stranger'> {
    if (message.out || !message.isPrivate) return 'ignored-own-outgoing';
    const sender = message.sender ?? (await message.getSender().catch(() => undefined));
    if (!(sender instanceof Api.User) || sender.bot) return 'ignored-bot';
    const telegramId = Number(sender.id.toString());
    const accessHash = sender.accessHash?.toString() ?? '0';
    const { db } = this.deps;
    await db.botChat.upsert({
      where: { telegramId: BigInt(telegramId) },
      create: { telegramId: BigInt(telegramId), accessHash },
      update: { accessHash },
    });
    if (telegramId === this.deps.ownerTelegramId) return this.deps.incoming.handle(message);
    // Claimed before it is sent, so two messages at once still get one answer.
    const claimed = await db.botChat.updateMany({
      where: { telegramId: BigInt(telegramId), strangerAnsweredAt: null },
      data: { strangerAnsweredAt: new Date() },
    });
    if (claimed.count > 0) {
      await this.deps.replies.send({
        chatId: telegramId,
        text: PRIVATE_BOT_ANSWER,
        idempotencyKey: `companion-bot/stranger/${telegramId}`,
      });
    }
    log.info('Message to the companion bot from someone other than the owner ignored', { telegramId });
    return 'ignored-stranger';
  }
}

/** How the bot addresses someone: by the access hash it saw when they wrote to it. */
export function botPeerResolver(db: Db) {
  return async (chatId: number): Promise<Api.TypeInputPeer> => {
    const chat = await db.botChat.findUnique({ where: { telegramId: BigInt(chatId) } });
    if (!chat) throw new OwnerHasNotStartedBot();
    return new Api.InputPeerUser({ userId: bigInt(chatId), accessHash: bigInt(chat.accessHash) });
  };
}

/** A bot may not write first: until the owner presses Start in the bot's chat it cannot reach them. */
export class OwnerHasNotStartedBot extends Error {
  constructor() {
    super('The owner has not written to the companion bot yet');
    this.name = 'OwnerHasNotStartedBot';
  }
}

/**
 * The bot's transport to the owner; until the owner has started the bot, messages go to
 * Saved Messages instead (ringing), so nothing meant for the owner is lost.
 */
export function botWithFallback(bot: ChatTransport, fallback: ChatTransport): ChatTransport {
  let warned = false;
  const orFallback = async <T>(call: () => Promise<T>, otherwise: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof OwnerHasNotStartedBot)) throw err;
      if (!warned) {
        warned = true;
        log.warn('The owner has not started the companion bot yet: writing to Saved Messages until they do.');
      }
      return otherwise();
    }
  };
  return {
    send: (input) =>
      orFallback(
        () => bot.send(input),
        () => fallback.send(input),
      ),
    typing: (chatId) =>
      orFallback(
        () => bot.typing(chatId),
        async () => undefined,
      ),
    sendFile: (input) =>
      orFallback(
        () => bot.sendFile(input),
        () => fallback.sendFile(input),
      ),
  };
}

export interface ControlChat {
  kind: ControlChatKind;
  /** Every send of the `telegram` queue goes through this (the owner's to the control chat). */
  transport: ChatTransport;
  /** For the account's incoming path: which Saved Messages are the owner's instructions. */
  savedMessages?: SavedMessagesControl;
  /** The companion bot's transport (answers to its chats), when there is a bot. */
  botTransport?: ChatTransport;
}

/**
 * Builds the control chat the configuration asks for. `account` is the logged-in account's
 * own transport; `accountClient` and `botClient` are the GramJS clients (the bot's only
 * with OWNER_BOT_TOKEN in own-account mode).
 */
export function createControlChat(opts: {
  config: ControlChatConfig;
  db: Db;
  account: ChatTransport;
  accountClient: Pick<TelegramClient, 'invoke'>;
  botClient?: Pick<TelegramClient, 'invoke'>;
  /** Accept/Decline buttons on the bot's messages that ask the owner to decide. */
  decisions?: DecisionButtons;
  now?: () => Date;
}): ControlChat {
  const { config, db, account } = opts;
  const kind = controlChatKind(config.telegramAccount, Boolean(opts.botClient));
  if (kind === 'direct-chat') return { kind, transport: account };
  const savedMessages = new SavedMessagesControl(db, config.ownerTelegramId, opts.now);
  const toSaved = savedMessages.transport((r) => opts.accountClient.invoke(r), config.telegramSendIntervalMs);
  if (kind === 'saved-messages') {
    return { kind, savedMessages, transport: new OwnerRoutedTransport(config.ownerTelegramId, account, toSaved) };
  }
  const botClient = opts.botClient!;
  const botTransport = new TelegramTransport({
    invoke: (r) => botClient.invoke(r),
    peerFor: botPeerResolver(db),
    sendIntervalMs: config.telegramSendIntervalMs,
    markupFor: opts.decisions ? (input) => opts.decisions!.markupFor(input) : undefined,
  });
  return {
    kind,
    botTransport,
    transport: new OwnerRoutedTransport(config.ownerTelegramId, account, botWithFallback(botTransport, toSaved)),
  };
}
