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
import { SessionClient } from '../../clients/sessions.ts';
import { GatewayCore } from '../core.ts';
import { DurableInbox } from '../durable-inbox.ts';
import { OwnerCommands } from '../owner-commands.ts';
import { createTelegramActivities } from '../transport.ts';
import { catchUpMissedMessages } from './catch-up.ts';
import { connectTelegram, createTelegramClient, TelegramLoginNeeded } from './client.ts';
import { TelegramIncoming } from './incoming.ts';
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
  if (me.id !== config.ownerTelegramId) {
    await telegram.destroy();
    throw new TelegramLoginNeeded(
      `The saved Telegram login is ${me.name} (id ${me.id}), but OWNER_TELEGRAM_ID is ${config.ownerTelegramId}: fix OWNER_TELEGRAM_ID or run \`npm run setup\` again.`,
    );
  }
  log.info(`Telegram connected as ${me.name} (id ${me.id})`);

  const transport = new TelegramTransport({
    invoke: (request) => telegram.invoke(request),
    sendIntervalMs: config.telegramSendIntervalMs,
    dataDir: config.dataDir,
    peerFor: peerResolver(db, (chatId) => telegram.getInputEntity(chatId)),
  });
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
  });

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
    activities: createTelegramActivities(transport),
  });
  return {
    worker,
    async close() {
      inbox.close();
      await telegram.destroy();
    },
  };
}
