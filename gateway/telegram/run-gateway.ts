// The Telegram gateway, assembled: the MTProto client over the saved login, incoming
// messages into the gateway core, catch-up after every (re)connect, and a worker that
// serves the `telegram` task queue with the MTProto transport.
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { NewMessage } from 'telegram/events/index.js';
import type { NewMessageEvent } from 'telegram/events/index.js';
import { Raw } from 'telegram/events/Raw.js';
import { UpdateConnectionState } from 'telegram/network/index.js';
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { createDataConverter } from '../../infra/payload-keys.ts';
import { NegotiationClient } from '../../clients/negotiations.ts';
import { SessionClient } from '../../clients/sessions.ts';
import { GatewayCore } from '../core.ts';
import { DurableInbox } from '../durable-inbox.ts';
import { OwnerCommands } from '../owner-commands.ts';
import { createTelegramActivities } from '../transport.ts';
import { loginProblem } from '../../pure/control-chat.ts';
import { catchUpMissedMessages } from './catch-up.ts';
import { connectTelegram, createTelegramClient, TelegramLoginNeeded } from './client.ts';
import { startCompanionBot } from './companion-bot.ts';
import { CompanionBotInbox, createControlChat } from './control-chat.ts';
import { DecisionButtons, listenForTaps } from './decision-buttons.ts';
import { TelegramIncoming } from './incoming.ts';
import { TelegramPeopleLookup } from './people-lookup.ts';
import { catchUpSavedMessages } from './saved-messages-catch-up.ts';
import { TelegramTransport } from './outgoing.ts';
import { loadTelegramSession } from './session-store.ts';

/**
 * How to address a person: the access hash recorded from their last message (works
 * after a restart, with no call to Telegram), else whatever GramJS knows.
 */
export function peerResolver(db: Db, fallback: (chatId: number) => Promise<Api.TypeInputPeer>) {
  return async (chatId: number): Promise<Api.TypeInputPeer> => {
    const user = await db.user.findUnique({ where: { telegramId: BigInt(chatId) }, select: { accessHash: true } });
    if (user?.accessHash) return new Api.InputPeerUser({ userId: bigInt(chatId), accessHash: bigInt(user.accessHash) });
    return fallback(chatId);
  };
}

export interface TelegramGateway {
  worker: Worker;
  close(): Promise<void>;
}

export async function startTelegramGateway(opts: {
  config: Config;
  db: Db;
  client: Client;
  connection: NativeConnection;
}): Promise<TelegramGateway> {
  const { config, db } = opts;
  const session = await loadTelegramSession(config);
  if (!session)
    throw new TelegramLoginNeeded('No Telegram login yet: run `npm run setup` to log in to your account first.');
  const telegram = createTelegramClient(config, session);
  const me = await connectTelegram(telegram);
  const problem = loginProblem(config.telegramAccount, me, config.ownerTelegramId);
  if (problem) {
    await telegram.destroy();
    throw new TelegramLoginNeeded(problem);
  }
  log.info(`Telegram connected as ${me.name} (id ${me.id})`);
  const { ownerBotToken } = config;
  const bot =
    config.telegramAccount === 'owner' && ownerBotToken
      ? await startCompanionBot({ ...config, ownerBotToken }).catch(async (err: unknown) => {
          await telegram.destroy();
          throw err;
        })
      : undefined;

  const decisions = bot
    ? new DecisionButtons({
        negotiations: new NegotiationClient(opts.client, config),
        ownerTelegramId: config.ownerTelegramId,
      })
    : undefined;
  // Workflows write to the owner by OWNER_TELEGRAM_ID; the control chat decides where that lands.
  const control = createControlChat({
    config,
    db,
    account: new TelegramTransport({
      invoke: (request) => telegram.invoke(request),
      sendIntervalMs: config.telegramSendIntervalMs,
      dataDir: config.dataDir,
      peerFor: peerResolver(db, (chatId) => telegram.getInputEntity(chatId)),
    }),
    accountClient: telegram,
    botClient: bot?.client,
    decisions,
  });
  const transport = control.transport;
  log.info(
    control.kind === 'companion-bot'
      ? `The owner talks to the assistant in the bot @${bot?.username}`
      : control.kind === 'saved-messages'
        ? 'The owner talks to the assistant in Saved Messages'
        : `The owner (id ${config.ownerTelegramId}) talks to the assistant by writing to ${me.name}`,
  );
  const gateway = new GatewayCore({
    db,
    sessions: new SessionClient(opts.client, config),
    config,
    commands: new OwnerCommands(opts.client, transport, db),
  });
  // A receive that fails (PostgreSQL or Temporal down) is kept on disk and retried.
  const inbox = new DurableInbox(gateway, join(config.dataDir, 'inbox'));
  await inbox.start();
  const incoming = new TelegramIncoming({
    gateway: inbox,
    config,
    download: async (message) => {
      const media = await telegram.downloadMedia(message);
      return Buffer.isBuffer(media) ? media : undefined;
    },
    savedMessages: control.savedMessages,
  });

  if (bot && control.botTransport) {
    const botClient = bot.client;
    const botInbox = new CompanionBotInbox({
      db,
      ownerTelegramId: config.ownerTelegramId,
      replies: control.botTransport,
      incoming: new TelegramIncoming({
        gateway: inbox,
        config,
        keepAccessHash: false,
        download: async (message) => {
          const media = await botClient.downloadMedia(message);
          return Buffer.isBuffer(media) ? media : undefined;
        },
      }),
    });
    if (decisions) listenForTaps(botClient, decisions, control.botTransport);
    botClient.addEventHandler(async (event: NewMessageEvent) => {
      try {
        await botInbox.handle(event.message);
      } catch (err) {
        log.error('Message to the companion bot not handled', { messageId: event.message.id, error: err });
      }
    }, new NewMessage({}));
  }

  telegram.addEventHandler(async (event: NewMessageEvent) => {
    try {
      await incoming.handle(event.message);
    } catch (err) {
      log.error('Incoming Telegram message not handled', { messageId: event.message.id, error: err });
    }
  }, new NewMessage({}));

  const catchUp = async () => {
    try {
      await catchUpMissedMessages(
        {
          async unreadPrivateChats() {
            const dialogs = await telegram.getDialogs({ limit: 100 });
            return dialogs
              .filter((d) => d.isUser && d.unreadCount > 0 && d.id !== undefined)
              .map((d) => ({ chatId: Number(d.id!.toString()), unreadCount: d.unreadCount }));
          },
          async messagesAfter(chatId, afterMessageId, limit) {
            const messages = await telegram.getMessages(chatId, { limit, minId: afterMessageId });
            return [...messages].reverse();
          },
        },
        db,
        incoming,
      );
      if (control.savedMessages) {
        await catchUpSavedMessages(
          (afterMessageId, limit) => telegram.getMessages('me', { limit, minId: afterMessageId }),
          db,
          config.ownerTelegramId,
          incoming,
        );
      }
    } catch (err) {
      log.error('Catch-up of missed Telegram messages failed', { error: err });
    }
  };
  telegram.addEventHandler(async (update: unknown) => {
    if (update instanceof UpdateConnectionState && update.state === UpdateConnectionState.connected) await catchUp();
  }, new Raw({}));
  await catchUp();

  const worker = await Worker.create({
    connection: opts.connection,
    namespace: config.temporalNamespace,
    taskQueue: config.telegramTaskQueue,
    dataConverter: createDataConverter(config),
    activities: createTelegramActivities(
      transport,
      new TelegramPeopleLookup({
        invoke: (request) => telegram.invoke(request),
        db,
        ownerTelegramId: config.ownerTelegramId,
        selfId: me.id,
      }),
    ),
  });
  return {
    worker,
    async close() {
      inbox.close();
      await bot?.client.destroy();
      await telegram.destroy();
    },
  };
}
