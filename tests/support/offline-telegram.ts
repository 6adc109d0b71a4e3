// GramJS without a network: a real TelegramClient whose MTProto sender is a fake that
// records every request it is asked to send and answers like Telegram would, and whose
// real update dispatch is fed synthetic `Api.Updates`.
import bigInt from 'big-integer';
import { Api } from 'telegram';
import type { TelegramClient } from 'telegram';
import { _handleUpdate } from 'telegram/client/updates.js';
import { createTelegramClient } from '../../gateway/telegram/client.ts';

type Answer = (request: Api.AnyRequest) => unknown;

interface RequestStateLike {
  request: Api.AnyRequest;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

// Ids of sent messages, unique across fake clients as Telegram's are within an account, so
// that a restarted gateway (a new fake) never reuses an id an earlier one handed out.
let sentMessageIds = 100_000;

/** Stands in for GramJS's MTProtoSender: what the client "sends" is recorded and answered. */
export class FakeMtprotoSender {
  readonly requests: Api.AnyRequest[] = [];
  userDisconnected = false;
  /** Answers a request; throw (or return an Error) to make Telegram fail it. */
  answer: Answer = defaultAnswer;
  /** Telegram's own de-duplication: a SendMessage with a random_id seen before for that peer delivers nothing new. */
  readonly delivered = new Map<string, { id: number; text: string; peer: string; scheduleDate?: number }>();

  /** Connected from the start: `client.start()` then goes straight to logging in. */
  isConnected(): boolean {
    return true;
  }

  async disconnect(): Promise<void> {
    this.userDisconnected = true;
  }

  addStateToQueue(state: RequestStateLike): void {
    this.requests.push(state.request);
    try {
      const result = this.answer(state.request);
      if (result instanceof Error) state.reject(result);
      else state.resolve(result);
    } catch (err) {
      state.reject(err);
    }
  }

  sent(): Api.messages.SendMessage[] {
    return this.requests.filter((r): r is Api.messages.SendMessage => r instanceof Api.messages.SendMessage);
  }

  /** What Telegram does with a SendMessage: deliver once per (peer, random_id). */
  deliver(request: Api.messages.SendMessage): Api.UpdateShortSentMessage {
    const peer = describePeer(request.peer);
    const key = `${peer}/${String(request.randomId)}`;
    let message = this.delivered.get(key);
    if (!message) {
      message = { id: ++sentMessageIds, text: request.message, peer, scheduleDate: request.scheduleDate };
      this.delivered.set(key, message);
    }
    return new Api.UpdateShortSentMessage({ id: message.id, pts: 1, ptsCount: 1, date: Math.floor(Date.now() / 1000) });
  }
}

function describePeer(peer: unknown): string {
  if (peer instanceof Api.InputPeerUser) return `user:${peer.userId.toString()}`;
  if (peer instanceof Api.InputPeerSelf) return 'self';
  return String(peer);
}

function defaultAnswer(this: FakeMtprotoSender, request: Api.AnyRequest): unknown {
  if (request instanceof Api.messages.SendMessage) return this.deliver(request);
  if (request instanceof Api.messages.SetTyping) return true;
  throw new Error(`The fake Telegram has no answer for ${request.className}`);
}

export interface OfflineTelegram {
  client: TelegramClient;
  sender: FakeMtprotoSender;
  /** Feeds an update through GramJS's own dispatch, as if it came from Telegram. */
  push(update: Api.TypeUpdates): void;
}

/**
 * `selfId` is the logged-in account (the owner's, the assistant's, or a bot's); `bot`
 * makes it a bot login, as `client.start({ botAuthToken })` leaves it.
 */
export function createOfflineTelegram(selfId: number, options: { bot?: boolean } = {}): OfflineTelegram {
  // The production client, with its settings (flood waits surface to the transport).
  const client = createTelegramClient({ telegramApiId: 1, telegramApiHash: '0123456789abcdef0123456789abcdef' }, '');
  const sender = new FakeMtprotoSender();
  sender.answer = defaultAnswer.bind(sender);
  const internals = client as unknown as {
    _sender: FakeMtprotoSender;
    _selfInputPeer: Api.InputPeerUser;
    _connectedDeferred: { resolve(): void };
    _bot: boolean | undefined;
  };
  internals._sender = sender;
  // Dispatch asks for the owner's own peer first; preset it so it never calls getMe.
  internals._selfInputPeer = new Api.InputPeerUser({ userId: bigInt(selfId), accessHash: bigInt(0) });
  internals._bot = options.bot ?? false;
  internals._connectedDeferred.resolve();
  return { client, sender, push: (update) => _handleUpdate(client, update as unknown as Api.TypeUpdate) };
}

export interface PersonSpec {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  phone?: string;
  bot?: boolean;
  accessHash?: number;
  /** The logged-in account itself (Telegram marks it so in updates). */
  self?: boolean;
}

export function apiUser(p: PersonSpec): Api.User {
  return new Api.User({
    id: bigInt(p.id),
    accessHash: bigInt(p.accessHash ?? p.id * 7),
    firstName: p.firstName,
    lastName: p.lastName,
    username: p.username,
    phone: p.phone,
    bot: p.bot,
    self: p.self,
  });
}

let messageIds = 500;
export const nextMessageId = () => ++messageIds;

/** An incoming private message from `from`, as Telegram pushes it (with the sender's entity). */
export function privateMessageUpdate(
  from: PersonSpec,
  fields: Partial<ConstructorParameters<typeof Api.Message>[0]> = {},
): Api.Updates {
  const message = new Api.Message({
    id: fields.id ?? nextMessageId(),
    peerId: new Api.PeerUser({ userId: bigInt(from.id) }),
    date: Math.floor(Date.now() / 1000),
    message: '',
    ...fields,
  });
  return wrap(new Api.UpdateNewMessage({ message, pts: 1, ptsCount: 1 }), [apiUser(from)]);
}

/**
 * A message in the account's own Saved Messages (peer = self, `out`), as Telegram pushes
 * what the owner types there on any device, and the echo of what the gateway sent there.
 */
export function savedMessageUpdate(
  self: PersonSpec,
  fields: Partial<ConstructorParameters<typeof Api.Message>[0]> = {},
): Api.Updates {
  const message = new Api.Message({
    id: fields.id ?? nextMessageId(),
    out: true,
    peerId: new Api.PeerUser({ userId: bigInt(self.id) }),
    fromId: new Api.PeerUser({ userId: bigInt(self.id) }),
    date: Math.floor(Date.now() / 1000),
    message: '',
    ...fields,
  });
  return wrap(new Api.UpdateNewMessage({ message, pts: 1, ptsCount: 1 }), [apiUser({ ...self, self: true })]);
}

/** A message the logged-in account sent to `to` (typed on the owner's phone, say). */
export function outgoingMessageUpdate(
  self: PersonSpec,
  to: PersonSpec,
  fields: Partial<ConstructorParameters<typeof Api.Message>[0]> = {},
): Api.Updates {
  const message = new Api.Message({
    id: fields.id ?? nextMessageId(),
    out: true,
    peerId: new Api.PeerUser({ userId: bigInt(to.id) }),
    date: Math.floor(Date.now() / 1000),
    message: '',
    ...fields,
  });
  return wrap(new Api.UpdateNewMessage({ message, pts: 1, ptsCount: 1 }), [
    apiUser({ ...self, self: true }),
    apiUser(to),
  ]);
}

export function wrap(update: Api.TypeUpdate, users: Api.User[] = [], chats: Api.TypeChat[] = []): Api.Updates {
  return new Api.Updates({ updates: [update], users, chats, date: Math.floor(Date.now() / 1000), seq: 0 });
}

/** A voice note document, as Telegram describes one. */
export function voiceMedia(sizeBytes: number, durationSeconds: number): Api.MessageMediaDocument {
  return new Api.MessageMediaDocument({
    document: new Api.Document({
      id: bigInt(nextMessageId()),
      accessHash: bigInt(1),
      fileReference: Buffer.alloc(0),
      date: Math.floor(Date.now() / 1000),
      mimeType: 'audio/ogg',
      size: bigInt(sizeBytes),
      dcId: 2,
      attributes: [new Api.DocumentAttributeAudio({ voice: true, duration: durationSeconds })],
    }),
  });
}
