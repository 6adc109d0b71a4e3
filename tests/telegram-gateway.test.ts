// The Telegram gateway, offline: GramJS's real types and update dispatch fed with
// synthetic updates, a fake MTProto sender capturing what would go to Telegram, and
// the rest of the system real (Temporal dev server, PostgreSQL, scripted Claude, a
// local OpenAI-compatible Whisper server).
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import bigInt from 'big-integer';
import { Api, errors } from 'telegram';
import { NewMessage } from 'telegram/events/index.js';
import type { NewMessageEvent } from 'telegram/events/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWorkflowId } from '../contracts/session.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { Replies } from '../workflows/replies.ts';
import { GatewayCore } from '../gateway/core.ts';
import { OWNER_HELP, OwnerCommands } from '../gateway/owner-commands.ts';
import { catchUpMissedMessages } from '../gateway/telegram/catch-up.ts';
import { TelegramIncoming } from '../gateway/telegram/incoming.ts';
import type { IncomingOutcome } from '../gateway/telegram/incoming.ts';
import { TelegramTransport } from '../gateway/telegram/outgoing.ts';
import { randomIdFor } from '../gateway/telegram/random-id.ts';
import { peerResolver } from '../gateway/telegram/run-gateway.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { sessionStatusQuery } from '../contracts/session.ts';
import { FakeWhisper } from './support/fake-whisper.ts';
import {
  apiUser,
  createOfflineTelegram,
  nextMessageId,
  privateMessageUpdate,
  voiceMedia,
  wrap,
} from './support/offline-telegram.ts';
import type { OfflineTelegram, PersonSpec } from './support/offline-telegram.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const DENIED_ID = 424_242;
const VOICE_NOTE = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'voice-note.ogg'));

let stack: TestStack;
let whisper: FakeWhisper;
let tg: OfflineTelegram;
let incoming: TelegramIncoming;
const outcomes = new Map<number, IncomingOutcome>();
const downloads = new Map<number, Buffer>();
let people = 8_100_000_000 + Math.floor(Math.random() * 100_000_000);

function person(firstName: string, extra: Partial<PersonSpec> = {}): PersonSpec {
  return { id: ++people, firstName, username: `${firstName.toLowerCase()}${people % 10000}`, ...extra };
}

function telegramGateway(): GatewayCore {
  return new GatewayCore({
    db: stack.db,
    sessions: stack.sessions,
    config: stack.config,
    commands: new OwnerCommands(stack.env.client, stack.telegram, stack.db),
  });
}

async function push(update: Api.Updates, messageId: number): Promise<IncomingOutcome> {
  tg.push(update);
  await waitUntil(() => outcomes.has(messageId), `message ${messageId} handled`);
  return outcomes.get(messageId)!;
}

beforeAll(async () => {
  whisper = new FakeWhisper();
  const whisperUrl = await whisper.start();
  stack = await createTestStack({
    WHISPER_BASE_URL: whisperUrl,
    WHISPER_API_KEY: 'sk-whisper-test-secret',
    WHISPER_LANGUAGE: 'en',
    DATA_DIR: mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'data-')),
    TELEGRAM_DENY_USER_IDS: String(DENIED_ID),
    MAX_FILE_MB: '1',
  });
  stack.claude.script = (req) => say(`seen: ${lastUserTexts(req).join(' | ')}`);
  tg = createOfflineTelegram(stack.owner.telegramId);
  incoming = new TelegramIncoming({
    gateway: telegramGateway(),
    config: stack.config,
    download: async (message) => downloads.get(message.id),
  });
  tg.client.addEventHandler(async (event: NewMessageEvent) => {
    try {
      outcomes.set(event.message.id, await incoming.handle(event.message));
    } catch (err) {
      console.error('handler failed', err);
      throw err;
    }
  }, new NewMessage({}));
});

afterAll(async () => {
  await whisper?.stop();
  await stack?.teardown();
});

describe('incoming Telegram messages', () => {
  it('accepts private messages from people and records them, ignoring everything else', async () => {
    const anna = person('Anna', { lastName: 'Petrova', phone: '79991234567', accessHash: 987654321 });
    const id = nextMessageId();
    await stack.run(async () => {
      expect(await push(privateMessageUpdate(anna, { id, message: 'Привет! Can we talk?' }), id)).toBe('delivered');
      await stack.telegram.waitForMessages(anna.id, 1);
    });
    expect(lastUserTexts(stack.claude.requests.at(-1)!)).toEqual(['Привет! Can we talk?']);
    const user = await stack.db.user.findUnique({ where: { telegramId: BigInt(anna.id) } });
    expect(user).toMatchObject({
      firstName: 'Anna',
      lastName: 'Petrova',
      username: anna.username,
      phone: '79991234567',
      accessHash: '987654321',
      role: 'external',
    });

    const bot = person('Robo', { bot: true });
    const denied = { ...person('Denis'), id: DENIED_ID };
    const blocked = person('Blocked');
    await stack.db.user.create({ data: { telegramId: BigInt(blocked.id), firstName: 'Blocked', blocked: true } });
    const own = nextMessageId();
    const group = nextMessageId();
    const channel = nextMessageId();
    const fromBot = nextMessageId();
    const fromDenied = nextMessageId();
    const fromBlocked = nextMessageId();
    const results = {
      own: await push(privateMessageUpdate(anna, { id: own, out: true, message: 'my own reply' }), own),
      group: await push(
        wrap(
          new Api.UpdateNewMessage({
            message: new Api.Message({
              id: group,
              peerId: new Api.PeerChat({ chatId: bigInt(77) }),
              fromId: new Api.PeerUser({ userId: bigInt(anna.id) }),
              date: Math.floor(Date.now() / 1000),
              message: 'hello group',
            }),
            pts: 1,
            ptsCount: 1,
          }),
          [apiUser(anna)],
          [
            new Api.Chat({
              id: bigInt(77),
              title: 'Group',
              photo: new Api.ChatPhotoEmpty(),
              participantsCount: 3,
              date: 0,
              version: 1,
            }),
          ],
        ),
        group,
      ),
      channel: await push(
        wrap(
          new Api.UpdateNewChannelMessage({
            message: new Api.Message({
              id: channel,
              peerId: new Api.PeerChannel({ channelId: bigInt(88) }),
              date: Math.floor(Date.now() / 1000),
              message: 'channel post',
            }),
            pts: 1,
            ptsCount: 1,
          }),
        ),
        channel,
      ),
      bot: await push(privateMessageUpdate(bot, { id: fromBot, message: 'I am a bot' }), fromBot),
      denied: await push(privateMessageUpdate(denied, { id: fromDenied, message: 'hi' }), fromDenied),
      blocked: await push(privateMessageUpdate(blocked, { id: fromBlocked, message: 'hi' }), fromBlocked),
    };
    expect(results).toEqual({
      own: 'ignored-own-outgoing',
      group: 'ignored-not-private',
      channel: 'ignored-not-private',
      bot: 'ignored-bot',
      denied: 'ignored-denied',
      blocked: 'ignored-blocked',
    });

    // A service message (here: a screenshot notice) never becomes a message event at all.
    const service = nextMessageId();
    tg.push(
      wrap(
        new Api.UpdateNewMessage({
          message: new Api.MessageService({
            id: service,
            peerId: new Api.PeerUser({ userId: bigInt(anna.id) }),
            date: Math.floor(Date.now() / 1000),
            action: new Api.MessageActionScreenshotTaken(),
          }),
          pts: 1,
          ptsCount: 1,
        }),
        [apiUser(anna)],
      ),
    );
    const after = nextMessageId();
    expect(await push(privateMessageUpdate(anna, { id: after, message: 'still here' }), after)).toBe('delivered');
    expect(outcomes.has(service)).toBe(false);
    const stored = await stack.db.incomingMessage.findMany({ where: { chatId: BigInt(anna.id) } });
    expect(stored.map((m) => Number(m.messageId)).sort()).toEqual([id, after].sort());
    for (const ignored of [bot, denied, blocked]) {
      expect(await stack.db.incomingMessage.count({ where: { chatId: BigInt(ignored.id) } })).toBe(0);
    }
  });

  it('handles a message once across a gateway restart (same chat and message id)', async () => {
    const boris = person('Boris');
    const id = nextMessageId();
    await stack.run(async () => {
      expect(await push(privateMessageUpdate(boris, { id, message: 'once' }), id)).toBe('delivered');
      await stack.telegram.waitForMessages(boris.id, 1);
      // A restarted gateway: new client, new handlers; Telegram (or catch-up) delivers the message again.
      const restarted = createOfflineTelegram(stack.owner.telegramId);
      const again = new TelegramIncoming({
        gateway: telegramGateway(),
        config: stack.config,
        download: async () => undefined,
      });
      let second: IncomingOutcome | undefined;
      restarted.client.addEventHandler(async (e: NewMessageEvent) => {
        second = await again.handle(e.message);
      }, new NewMessage({}));
      restarted.push(privateMessageUpdate(boris, { id, message: 'once' }));
      await waitUntil(() => second !== undefined, 'redelivery handled');
      expect(second).toBe('duplicate');
      const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(boris.id));
      await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'idle');
      expect((await handle.query(sessionStatusQuery)).turn).toBe(1);
    });
    expect(stack.telegram.messagesTo(boris.id)).toHaveLength(1);
  });

  it('transcribes a real OGG/Opus voice note with Whisper and gives the agent the transcript', async () => {
    const vera = person('Vera');
    const id = nextMessageId();
    downloads.set(id, VOICE_NOTE);
    await stack.run(async () => {
      await push(privateMessageUpdate(vera, { id, media: voiceMedia(VOICE_NOTE.length, 3) }), id);
      const [reply] = await stack.telegram.waitForMessages(vera.id, 1);
      expect(reply!.text).toBe(`seen: [Voice note (3 s), transcribed]: ${whisper.transcript}`);
    });
    const request = whisper.requests.at(-1)!;
    expect(request).toMatchObject({
      authorization: 'Bearer sk-whisper-test-secret',
      model: 'whisper-1',
      language: 'en',
    });
    expect(request.audio.equals(VOICE_NOTE)).toBe(true);
    const saved = readFileSync(join(stack.config.dataDir, 'workspace', String(vera.id), `${id}-voice.ogg`));
    expect(saved.equals(VOICE_NOTE)).toBe(true);
  });

  it('answers a corrupt voice note politely, without asking Claude, and stays healthy', async () => {
    const gleb = person('Gleb');
    const id = nextMessageId();
    downloads.set(id, Buffer.from('this is not audio at all, just bytes'));
    const before = stack.claude.requests.length;
    await stack.run(async () => {
      await push(privateMessageUpdate(gleb, { id, media: voiceMedia(36, 2) }), id);
      const [reply] = await stack.telegram.waitForMessages(gleb.id, 1);
      expect(reply!.text).toBe(Replies.voiceUnreadable);
      const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(gleb.id));
      await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'turn over');
      expect(stack.claude.requests.length).toBe(before);
      expect(whisper.requests.at(-1)!.audio.toString()).toBe('this is not audio at all, just bytes');
      const next = nextMessageId();
      await push(privateMessageUpdate(gleb, { id: next, message: 'ok, in text then' }), next);
      const [, second] = await stack.telegram.waitForMessages(gleb.id, 2);
      expect(second!.text).toBe('seen: ok, in text then');
    });
  });

  it('saves photos and files to the workspace and describes media it cannot keep', async () => {
    const pavel = person('Pavel');
    const photoId = nextMessageId();
    downloads.set(photoId, Buffer.from('fake-jpeg-bytes'));
    const photo = new Api.MessageMediaPhoto({
      photo: new Api.Photo({
        id: bigInt(1),
        accessHash: bigInt(1),
        fileReference: Buffer.alloc(0),
        date: 0,
        sizes: [new Api.PhotoSize({ type: 'x', w: 800, h: 600, size: 15 })],
        dcId: 2,
      }),
    });
    const huge = new Api.MessageMediaDocument({
      document: new Api.Document({
        id: bigInt(2),
        accessHash: bigInt(1),
        fileReference: Buffer.alloc(0),
        date: 0,
        mimeType: 'application/zip',
        size: bigInt(5 * 1024 * 1024),
        dcId: 2,
        attributes: [new Api.DocumentAttributeFilename({ fileName: 'archive.zip' })],
      }),
    });
    const geo = new Api.MessageMediaGeo({ geo: new Api.GeoPoint({ lat: 55.75, long: 37.61, accessHash: bigInt(0) }) });
    const poll = new Api.MessageMediaPoll({
      poll: new Api.Poll({
        id: bigInt(3),
        question: new Api.TextWithEntities({ text: 'Lunch?', entities: [] }),
        answers: [
          new Api.PollAnswer({
            text: new Api.TextWithEntities({ text: 'Yes', entities: [] }),
            option: Buffer.from('1'),
          }),
          new Api.PollAnswer({
            text: new Api.TextWithEntities({ text: 'No', entities: [] }),
            option: Buffer.from('2'),
          }),
        ],
      }),
      results: new Api.PollResults({}),
    });
    await stack.run(async () => {
      await push(privateMessageUpdate(pavel, { id: photoId, media: photo, message: 'look' }), photoId);
      await stack.telegram.waitForMessages(pavel.id, 1);
      for (const media of [huge, geo, poll]) {
        const id = nextMessageId();
        await push(privateMessageUpdate(pavel, { id, media }), id);
      }
      await waitUntil(() => stack.claude.requests.some((r) => JSON.stringify(r.body).includes('Lunch?')), 'poll seen');
    });
    const told = stack.claude.requests.filter((r) => JSON.stringify(r.body).includes(String(pavel.username))).length;
    expect(told).toBeGreaterThan(0);
    const all = stack.claude.requests.map((r) => lastUserTexts(r).join('\n')).join('\n');
    expect(all).toContain(
      `look\n[Photo received and saved in the workspace: "photo.jpg" (15 B, image/jpeg) at ${pavel.id}/${photoId}-photo.jpg]`,
    );
    expect(all).toContain('[Sent a file "archive.zip" of 5.0 MB, over the 1 MB limit: it was not saved]');
    expect(all).toContain('[Shared a location at 55.75000, 37.61000]');
    expect(all).toContain('[Sent a poll: "Lunch?" — options: Yes / No]');
    expect(
      readFileSync(join(stack.config.dataDir, 'workspace', String(pavel.id), `${photoId}-photo.jpg`), 'utf8'),
    ).toBe('fake-jpeg-bytes');
  });
});

describe('catch-up after reconnecting', () => {
  it('reads the unread messages (not only after the newest handled one) and skips what was already handled', async () => {
    const kira = person('Kira');
    const seen = nextMessageId();
    const missed1 = nextMessageId();
    const missed2 = nextMessageId();
    const asked: Array<{ chatId: number; after: number; limit: number }> = [];
    const message = (id: number, text: string) => {
      const update = privateMessageUpdate(kira, { id, message: text });
      const m = (update.updates[0] as Api.UpdateNewMessage).message as Api.Message;
      // As GramJS's getMessages returns them: with the sender entity attached.
      m._finishInit(tg.client, new Map([[String(kira.id), apiUser(kira)]]), undefined);
      return m;
    };
    await stack.run(async () => {
      expect(await push(privateMessageUpdate(kira, { id: seen, message: 'before the outage' }), seen)).toBe(
        'delivered',
      );
      await stack.telegram.waitForMessages(kira.id, 1);
      const handled = await catchUpMissedMessages(
        {
          unreadPrivateChats: async () => [{ chatId: kira.id, unreadCount: 3 }],
          messagesAfter: async (chatId, after, limit) => {
            asked.push({ chatId, after, limit });
            // Telegram may return the boundary message again; catch-up must not repeat it.
            return [message(seen, 'before the outage'), message(missed1, 'during 1'), message(missed2, 'during 2')];
          },
        },
        stack.db,
        incoming,
      );
      expect(handled).toBe(2);
      await waitUntil(
        () => stack.claude.requests.some((r) => lastUserTexts(r).join('|').includes('during 2')),
        'missed messages reached the session',
      );
    });
    expect(asked).toEqual([{ chatId: kira.id, after: 0, limit: 3 }]);
    const texts = stack.claude.requests
      .flatMap((r) => lastUserTexts(r))
      .filter((t) => /before the outage|during/.test(t));
    expect(texts.filter((t) => t === 'before the outage')).toHaveLength(1);
  });
});

describe('owner commands', () => {
  it('answers /help, /status and /reset for the owner only', async () => {
    const gateway = telegramGateway();
    const owner = stack.owner;
    const contact = person('Cyril');
    await stack.run(async () => {
      const since = stack.telegram.messagesTo(owner.telegramId).length;
      expect(await gateway.receive({ from: owner, messageId: nextMessageId(), text: '/help' })).toBe('command');
      expect(await gateway.receive({ from: owner, messageId: nextMessageId(), text: '/status' })).toBe('command');
      await stack.send(owner, 'remember: blue');
      await stack.telegram.waitForMessages(owner.telegramId, 3, since);
      expect(await gateway.receive({ from: owner, messageId: nextMessageId(), text: '/reset' })).toBe('command');
      await stack.send(owner, 'what colour?');
      const replies = await stack.telegram.waitForMessages(owner.telegramId, 5, since);
      expect(replies[0]!.text).toBe(OWNER_HELP);
      expect(replies[1]!.text).toMatch(
        /^Running now:\n• conversations \(sessions\): \d+ — .+\n• negotiations: 0\n• reminders: 0\n• recurring reminders: 0\n• heartbeat: not running$/,
      );
      expect(replies[3]!.text).toBe('Done: our conversation starts fresh (your messages and data are kept).');
      // After /reset the model no longer sees the earlier exchange.
      expect(JSON.stringify(stack.claude.requests.at(-1)!.body.messages)).not.toContain('remember: blue');

      // A contact's "/status" is just text for their own session.
      expect(
        await gateway.receive({ from: { telegramId: contact.id, firstName: 'Cyril' }, messageId: 1, text: '/status' }),
      ).toBe('delivered');
      const [toContact] = await stack.telegram.waitForMessages(contact.id, 1);
      expect(toContact!.text).toBe('seen: /status');
    });
  });

  it('names people by name and @username in /reset and /status, never by a bare id', async () => {
    const gateway = telegramGateway();
    const owner = stack.owner;
    const suffix = String(nextMessageId()).slice(-6);
    const zoe = { telegramId: person('Zoe').id, firstName: 'Zoe', lastName: 'Quill', username: `zoe_${suffix}` };
    const zack = { telegramId: person('Zack').id, firstName: 'Zack', username: `zack_${suffix}` };
    await stack.run(async () => {
      await gateway.receive({ from: zoe, messageId: 1, text: 'hi' });
      await stack.telegram.waitForMessages(zoe.telegramId, 1);
      const since = stack.telegram.messagesTo(owner.telegramId).length;
      const command = async (text: string, count: number) => {
        expect(await gateway.receive({ from: owner, messageId: nextMessageId(), text })).toBe('command');
        return (await stack.telegram.waitForMessages(owner.telegramId, count, since)).at(-1)!.text;
      };
      expect(await command(`/reset ${zoe.telegramId}`, 1)).toBe(
        `Done: the conversation with Zoe Quill (@${zoe.username}) starts fresh.`,
      );
      // Zoe writes again, so there is something to forget; found by @username this time.
      await gateway.receive({ from: zoe, messageId: 2, text: 'me again' });
      await stack.telegram.waitForMessages(zoe.telegramId, 2);
      expect(await command(`/reset @${zoe.username}`, 2)).toBe(
        `Done: the conversation with Zoe Quill (@${zoe.username}) starts fresh.`,
      );
      // Zack has written (he is known) but has no conversation running.
      await stack.db.user.create({
        data: { telegramId: BigInt(zack.telegramId), firstName: 'Zack', username: zack.username },
      });
      expect(await command(`/reset @${zack.username}`, 3)).toBe(
        `There is no conversation with Zack (@${zack.username}).`,
      );
      expect(await command('/reset Nobody-Here-Qx', 4)).toBe(
        'Nobody I know matches "Nobody-Here-Qx": give their name or @username.',
      );
      const status = await command('/status', 5);
      expect(status).toContain(`Zoe Quill (@${zoe.username})`);
      expect(status).not.toContain(String(zoe.telegramId));
    });
  });
});

describe('outgoing Telegram messages', () => {
  function transport(options: Partial<ConstructorParameters<typeof TelegramTransport>[0]> = {}) {
    return new TelegramTransport({
      invoke: (request) => tg.client.invoke(request),
      peerFor: peerResolver(stack.db, async () => {
        throw new Error('no access hash');
      }),
      sendIntervalMs: 0,
      ...options,
    });
  }

  it('uses the same random_id when a send is retried after a lost acknowledgement, so one message arrives', async () => {
    const dima = person('Dima');
    await stack.db.user.create({ data: { telegramId: BigInt(dima.id), firstName: 'Dima', accessHash: '555' } });
    let attempts = 0;
    tg.sender.answer = (request) => {
      if (request instanceof Api.messages.SendMessage) {
        const delivered = tg.sender.deliver(request);
        // The first time, Telegram delivers but the answer never reaches us.
        if (++attempts === 1) throw new Error('connection reset by peer');
        return delivered;
      }
      if (request instanceof Api.messages.SetTyping) return true;
      throw new Error(`unexpected ${request.className}`);
    };
    try {
      await stack.run(async () => {
        await stack.send({ telegramId: dima.id, firstName: 'Dima' }, 'hello');
        await waitUntil(() => attempts >= 2, 'send retried');
        const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(dima.id));
        await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'turn done');
      }, createTelegramActivities(transport()));
    } finally {
      tg.sender.answer = (request) => (request instanceof Api.messages.SendMessage ? tg.sender.deliver(request) : true);
    }
    const sends = tg.sender.sent().filter((r) => r.peer instanceof Api.InputPeerUser && r.peer.userId.equals(dima.id));
    expect(sends).toHaveLength(2);
    expect(String(sends[0]!.randomId)).toBe(String(sends[1]!.randomId));
    expect(String(sends[0]!.randomId)).toBe(randomIdFor(`${sessionWorkflowId(dima.id)}/turn-1/reply`).toString());
    expect((sends[0]!.peer as Api.InputPeerUser).accessHash.toString()).toBe('555');
    expect([...tg.sender.delivered.values()].filter((m) => m.peer === `user:${dima.id}`)).toHaveLength(1);
    // "typing…" was shown while Claude thought.
    expect(tg.sender.requests.some((r) => r instanceof Api.messages.SetTyping)).toBe(true);
  });

  it('splits long replies on paragraph boundaries and sends Markdown as Telegram entities', async () => {
    const emma = person('Emma');
    await stack.db.user.create({ data: { telegramId: BigInt(emma.id), firstName: 'Emma', accessHash: '777' } });
    const paragraph = (i: number) => `**Point ${i}.** ${'word '.repeat(150).trim()}`;
    const long = Array.from({ length: 15 }, (_, i) => paragraph(i)).join('\n\n');
    const before = tg.sender.sent().length;
    const ids = await transport().send({ chatId: emma.id, text: long, idempotencyKey: 'k/long' });
    const parts = tg.sender.sent().slice(before);
    expect(ids).toHaveLength(parts.length);
    expect(parts.length).toBe(3);
    for (const [i, part] of parts.entries()) {
      expect(part.message.length).toBeLessThanOrEqual(4096);
      expect(part.message.startsWith('Point ')).toBe(true); // each part starts at a paragraph
      expect(part.message).not.toContain('**');
      expect(part.entities![0]).toBeInstanceOf(Api.MessageEntityBold);
      expect(String(part.randomId)).toBe(randomIdFor(`k/long#${i}`).toString());
    }
    expect(parts.map((p) => p.message).join('\n\n')).toBe(long.replaceAll('**', ''));
  });

  it('waits out a short FloodWait and retries with the same random_id; hands a long one to Temporal', async () => {
    const fedor = person('Fedor');
    await stack.db.user.create({ data: { telegramId: BigInt(fedor.id), firstName: 'Fedor', accessHash: '888' } });
    const waits: number[] = [];
    let floods = 0;
    tg.sender.answer = (request) => {
      if (request instanceof Api.messages.SendMessage && floods++ === 0) {
        return new errors.FloodWaitError({ request, capture: 3 });
      }
      return request instanceof Api.messages.SendMessage ? tg.sender.deliver(request) : true;
    };
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    try {
      const before = tg.sender.sent().length;
      await transport({ sleep }).send({ chatId: fedor.id, text: 'after the flood', idempotencyKey: 'k/flood' });
      const sends = tg.sender.sent().slice(before);
      expect(sends).toHaveLength(2);
      expect(String(sends[0]!.randomId)).toBe(String(sends[1]!.randomId));
      expect(waits).toContain(3000);

      floods = 0;
      tg.sender.answer = (request) =>
        request instanceof Api.messages.SendMessage ? new errors.FloodWaitError({ request, capture: 120 }) : true;
      await expect(
        transport({ sleep }).send({ chatId: fedor.id, text: 'x', idempotencyKey: 'k/flood2' }),
      ).rejects.toMatchObject({ type: 'TelegramFloodWait', nextRetryDelay: 120000 });
    } finally {
      tg.sender.answer = (request) => (request instanceof Api.messages.SendMessage ? tg.sender.deliver(request) : true);
    }
  });

  it('paces consecutive sends to the same chat, not to different chats', async () => {
    const waits: number[] = [];
    let clock = 1_000_000;
    const paced = transport({
      sendIntervalMs: 1000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    const a = person('Ann');
    const b = person('Ben');
    for (const p of [a, b]) {
      await stack.db.user.create({ data: { telegramId: BigInt(p.id), firstName: p.firstName, accessHash: '1' } });
    }
    await paced.send({ chatId: a.id, text: 'one', idempotencyKey: 'p/1' });
    clock += 300;
    await paced.send({ chatId: b.id, text: 'two', idempotencyKey: 'p/2' });
    expect(waits).toEqual([]);
    await paced.send({ chatId: a.id, text: 'three', idempotencyKey: 'p/3' });
    expect(waits).toEqual([700]);
    clock += 5000;
    await paced.send({ chatId: a.id, text: 'four', idempotencyKey: 'p/4' });
    expect(waits).toEqual([700]);
  });
});
