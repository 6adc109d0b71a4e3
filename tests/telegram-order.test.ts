// Messages from one chat reach the assistant in the order they were sent. GramJS update
// objects go through GramJS's own dispatch (which starts every handler without waiting for
// the previous one) into the gateway's Telegram code; the rest is real (Temporal dev server,
// PostgreSQL, the session workflow, scripted Claude, a local Whisper server).
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Api } from 'telegram';
import { catchUpMissedMessages } from '../gateway/telegram/catch-up.ts';
import { NewMessage } from 'telegram/events/index.js';
import type { NewMessageEvent } from 'telegram/events/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionClient } from '../clients/sessions.ts';
import { GatewayCore } from '../gateway/core.ts';
import { TelegramIncoming } from '../gateway/telegram/incoming.ts';
import type { IncomingOutcome } from '../gateway/telegram/incoming.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { FakeWhisper } from './support/fake-whisper.ts';
import {
  apiUser,
  createOfflineTelegram,
  nextMessageId,
  privateMessageUpdate,
  voiceMedia,
} from './support/offline-telegram.ts';
import type { OfflineTelegram, PersonSpec } from './support/offline-telegram.ts';
import { say } from './support/scripted-claude.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const VOICE_NOTE = readFileSync(join(REPO_ROOT, 'tests', 'fixtures', 'voice-note.ogg'));
const ROUNDS = 20;

let stack: TestStack;
let whisper: FakeWhisper;
let tg: OfflineTelegram;
let incoming: TelegramIncoming;
/** Message ids in the order GramJS dispatched them, and in the order the gateway signalled sessions. */
const dispatched: number[] = [];
const signalled = new Map<number, number[]>();
const outcomes = new Map<number, IncomingOutcome>();
/** Per voice note: what its download waits for before it returns the file. */
const slowDownloads = new Map<number, () => Promise<void>>();
let people = 8_300_000_000 + Math.floor(Math.random() * 100_000_000);

function person(firstName: string): PersonSpec {
  return { id: ++people, firstName, username: `${firstName.toLowerCase()}${people % 10000}` };
}

beforeAll(async () => {
  whisper = new FakeWhisper();
  stack = await createTestStack({
    WHISPER_BASE_URL: await whisper.start(),
    WHISPER_API_KEY: 'sk-whisper-test',
    DATA_DIR: mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'data-')),
  });
  stack.claude.script = () => say('ok');
  // The gateway's sessions, watched: the order in which each chat's messages are signalled.
  const sessions = {
    deliverMessage: async (to, message) => {
      const order = signalled.get(to.telegramId) ?? [];
      signalled.set(to.telegramId, [...order, message.messageId]);
      await stack.sessions.deliverMessage(to, message);
    },
  } as Pick<SessionClient, 'deliverMessage'> as SessionClient;
  incoming = new TelegramIncoming({
    gateway: new GatewayCore({ db: stack.db, sessions, config: stack.config }),
    config: stack.config,
    download: async (message) => {
      await slowDownloads.get(message.id)?.();
      return VOICE_NOTE;
    },
  });
  tg = createOfflineTelegram(stack.owner.telegramId);
  // As the gateway registers it (gateway/telegram/run-gateway.ts): every update handed over at once.
  tg.client.addEventHandler(async (event: NewMessageEvent) => {
    dispatched.push(event.message.id);
    outcomes.set(event.message.id, await incoming.handle(event.message));
  }, new NewMessage({}));
});

afterAll(async () => {
  await whisper?.stop();
  await stack?.teardown();
});

/** The person's words in the first Claude request that holds all of `tags`, in the order the model reads them. */
async function modelReads(tags: string[]): Promise<string[]> {
  const userTexts = (request: RecordedRequest): string[] =>
    (request.body.messages as Array<{ role: string; content: Array<{ type: string; text?: string }> }>)
      .filter((m) => m.role === 'user')
      .flatMap((m) => m.content.filter((b) => b.type === 'text').map((b) => b.text!));
  const seen = (request: RecordedRequest) => {
    const texts = userTexts(request);
    return tags.every((tag) => texts.some((t) => t.includes(tag)));
  };
  await waitUntil(() => stack.claude.requests.some(seen), `Claude read ${tags.join(', ')}`, 120_000);
  const texts = userTexts(stack.claude.requests.find(seen)!);
  return texts.flatMap((t) => tags.filter((tag) => t.includes(tag)));
}

function text(from: PersonSpec, tag: string): { update: Api.Updates; id: number } {
  const id = nextMessageId();
  return { update: privateMessageUpdate(from, { id, message: tag }), id };
}

function voice(from: PersonSpec, tag: string): { update: Api.Updates; id: number } {
  const id = nextMessageId();
  return { update: privateMessageUpdate(from, { id, message: tag, media: voiceMedia(VOICE_NOTE.length, 3) }), id };
}

describe('one chat, in sending order', () => {
  it(`reads a slow voice note and the two texts right behind it, and a burst of five, in sending order (${ROUNDS} rounds)`, async () => {
    await stack.run(async () => {
      for (let round = 1; round <= ROUNDS; round++) {
        const speaker = person('Vera');
        const sent = [
          voice(speaker, `r${round}-voice`),
          text(speaker, `r${round}-text1`),
          text(speaker, `r${round}-text2`),
        ];
        // The download finishes only after both texts were dispatched, and a while later:
        // without the per-chat queue the texts overtake it.
        slowDownloads.set(sent[0]!.id, async () => {
          await waitUntil(() => sent.every((m) => dispatched.includes(m.id)), 'texts dispatched', 60_000);
          await new Promise((r) => setTimeout(r, 100));
        });
        const typist = person('Boris');
        const burst = [1, 2, 3, 4, 5].map((n) => text(typist, `r${round}-burst${n}`));
        for (const m of [...sent, ...burst]) tg.push(m.update);

        const all = [...sent, ...burst];
        await waitUntil(
          () => all.every((m) => outcomes.get(m.id) === 'delivered'),
          `round ${round} delivered`,
          120_000,
        );
        expect(signalled.get(speaker.id)).toEqual(sent.map((m) => m.id));
        expect(signalled.get(typist.id)).toEqual(burst.map((m) => m.id));
        expect(await modelReads(['voice', 'text1', 'text2'].map((t) => `r${round}-${t}`))).toEqual(
          ['voice', 'text1', 'text2'].map((t) => `r${round}-${t}`),
        );
        expect(await modelReads([1, 2, 3, 4, 5].map((n) => `r${round}-burst${n}`))).toEqual(
          [1, 2, 3, 4, 5].map((n) => `r${round}-burst${n}`),
        );
      }
    });
    // The voice notes were read for the model, not just ordered.
    const voiceRequest = stack.claude.requests.find((r) => JSON.stringify(r.body).includes('r1-voice'))!;
    expect(JSON.stringify(voiceRequest.body)).toContain(whisper.transcript);
  }, 600_000);

  it('does not hold one person behind another: a download that waits for someone else still finishes', async () => {
    const anna = person('Anna');
    const boris = person('Boris');
    const annasVoice = voice(anna, 'anna-voice');
    const borisText = text(boris, 'boris-text');
    // Anna's download can only finish once Boris's message was handled: queued behind her, it never would be.
    slowDownloads.set(annasVoice.id, () =>
      waitUntil(() => outcomes.get(borisText.id) === 'delivered', "Boris's message handled first", 60_000),
    );
    await stack.run(async () => {
      tg.push(annasVoice.update);
      tg.push(borisText.update);
      await waitUntil(() => outcomes.get(annasVoice.id) === 'delivered', "Anna's voice note handled", 90_000);
      await stack.telegram.waitForMessages(anna.id, 1);
      await stack.telegram.waitForMessages(boris.id, 1);
    });
  });

  it("puts what catch-up reads into the chat's queue, ahead of a live message that comes in meanwhile", async () => {
    const kira = person('Kira');
    const missed = [voice(kira, 'missed-voice'), text(kira, 'missed-text')];
    const live = text(kira, 'live-text');
    // As GramJS's getMessages returns them: with the sender entity attached.
    const asRead = (m: { update: Api.Updates }) => {
      const message = (m.update.updates[0] as Api.UpdateNewMessage).message as Api.Message;
      message._finishInit(tg.client, new Map([[String(kira.id), apiUser(kira)]]), undefined);
      return message;
    };
    slowDownloads.set(missed[0]!.id, async () => {
      await waitUntil(() => dispatched.includes(live.id), 'live message dispatched', 60_000);
      await new Promise((r) => setTimeout(r, 100));
    });
    let read = false;
    await stack.run(async () => {
      const caughtUp = catchUpMissedMessages(
        {
          unreadPrivateChats: async () => [{ chatId: kira.id, unreadCount: 2 }],
          messagesAfter: async () => {
            read = true;
            return missed.map(asRead);
          },
        },
        stack.db,
        incoming,
      );
      await waitUntil(() => read, 'catch-up read the chat');
      tg.push(live.update);
      expect(await caughtUp).toBe(2);
      await waitUntil(() => outcomes.get(live.id) === 'delivered', 'live message handled', 90_000);
      expect(signalled.get(kira.id)).toEqual([...missed, live].map((m) => m.id));
      expect(await modelReads(['missed-voice', 'missed-text', 'live-text'])).toEqual([
        'missed-voice',
        'missed-text',
        'live-text',
      ]);
    });
  });
});
