// One-tap decisions in the companion bot's chat, end to end: the owner asks the bot (a
// GramJS update into the offline bot client) for a meeting, the real negotiation workflow
// escalates a time outside the owner's windows, the bot's message carries Accept/Decline
// buttons, and taps (UpdateBotCallbackQuery through GramJS's dispatch) decide it once:
// a second tap of either button, also after a gateway restart, gets the first verdict and
// changes nothing; someone else's tap does nothing.
import bigInt from 'big-integer';
import { Api } from 'telegram';
import { NewMessage } from 'telegram/events/index.js';
import type { NewMessageEvent } from 'telegram/events/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../infra/config.ts';
import { NegotiationClient } from '../clients/negotiations.ts';
import { PRIVATE_BOT_ANSWER } from '../pure/control-chat.ts';
import { GatewayCore } from '../gateway/core.ts';
import { OwnerCommands } from '../gateway/owner-commands.ts';
import { CompanionBotInbox, createControlChat } from '../gateway/telegram/control-chat.ts';
import { decisionData, DecisionButtons, listenForTaps } from '../gateway/telegram/decision-buttons.ts';
import { TelegramIncoming } from '../gateway/telegram/incoming.ts';
import { TelegramTransport } from '../gateway/telegram/outgoing.ts';
import { peerResolver } from '../gateway/telegram/run-gateway.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { createOfflineTelegram, privateMessageUpdate } from './support/offline-telegram.ts';
import type { PersonSpec } from './support/offline-telegram.ts';
import { negotiationWorld } from './support/negotiation-world.ts';
import { dateAfter } from './support/server-clock.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const CONTACT_ZONE = 'Europe/Berlin';
const BOT_ID = 5_550_000_001;
let stack: TestStack;
let owner: PersonSpec;
const starts = new Map<string, Record<string, unknown>>();

/** The bot side of the gateway as run-gateway.ts assembles it, over offline clients. */
function companionBot() {
  const config: Config = {
    ...stack.config,
    telegramAccount: 'owner',
    ownerBotToken: '1234567:AAH-companion-bot-token-for-tests-0123456',
    telegramSendIntervalMs: 0,
  };
  const account = createOfflineTelegram(owner.id);
  const bot = createOfflineTelegram(BOT_ID, { bot: true });
  for (const tg of [account, bot]) {
    tg.sender.answer = (request) => (request instanceof Api.messages.SendMessage ? tg.sender.deliver(request) : true);
  }
  const decisions = new DecisionButtons({
    negotiations: new NegotiationClient(stack.env.client, config),
    ownerTelegramId: owner.id,
  });
  const control = createControlChat({
    config,
    db: stack.db,
    account: new TelegramTransport({
      invoke: (r) => account.client.invoke(r),
      peerFor: peerResolver(stack.db, async () => {
        throw new Error('no access hash');
      }),
      sendIntervalMs: 0,
    }),
    accountClient: account.client,
    botClient: bot.client,
    decisions,
  });
  const gateway = new GatewayCore({
    db: stack.db,
    sessions: stack.sessions,
    config,
    commands: new OwnerCommands(stack.env.client, control.transport, stack.db),
  });
  const inbox = new CompanionBotInbox({
    db: stack.db,
    ownerTelegramId: owner.id,
    replies: control.botTransport!,
    incoming: new TelegramIncoming({ gateway, config, keepAccessHash: false, download: async () => undefined }),
  });
  const handled = new Map<number, string>();
  bot.client.addEventHandler(async (event: NewMessageEvent) => {
    handled.set(event.message.id, await inbox.handle(event.message));
  }, new NewMessage({}));
  const taps: string[] = [];
  listenForTaps(bot.client, decisions, control.botTransport!, (_tap, outcome) => taps.push(outcome));
  return { account, bot, control, taps, activities: createTelegramActivities(control.transport) };
}

type Bot = ReturnType<typeof companionBot>;

/** A tap on an inline button under message `msgId`, as Telegram pushes it to the bot. */
async function tap(gw: Bot, from: number, msgId: number, data: Buffer): Promise<string> {
  const before = gw.taps.length;
  gw.bot.push(
    new Api.UpdateShort({
      update: new Api.UpdateBotCallbackQuery({
        queryId: bigInt(Date.now()),
        userId: bigInt(from),
        peer: new Api.PeerUser({ userId: bigInt(from) }),
        msgId,
        chatInstance: bigInt(7),
        data,
      }),
      date: Math.floor(Date.now() / 1000),
    }),
  );
  await waitUntil(() => gw.taps.length > before, 'tap handled', 60_000);
  return gw.taps.at(-1)!;
}

const botMessagesTo = (gw: Bot, id: number) =>
  gw.bot.sender.sent().filter((r) => r.peer instanceof Api.InputPeerUser && r.peer.userId.equals(id));

beforeAll(async () => {
  stack = await createTestStack({ OWNER_TIMEZONE: 'Europe/Moscow' });
  stack.claude.script = negotiationWorld({ starts });
  owner = { id: stack.owner.telegramId, firstName: 'Olga', username: stack.owner.username, accessHash: 4242 };
});

afterAll(async () => {
  await stack?.teardown();
});

describe('decisions with one tap in the companion bot', () => {
  it('asks with Accept/Decline buttons, applies the first tap once, and answers every later tap with its verdict', async () => {
    const carl = stack.newContact('Carl');
    await stack.db.user.create({
      data: {
        telegramId: BigInt(carl.telegramId),
        firstName: 'Carl',
        username: carl.username,
        timeZone: CONTACT_ZONE,
        accessHash: '99',
      },
    });
    const meetingDay = dateAfter(Date.now(), 3);
    const request = `Arrange a meeting with @${carl.username}`;
    starts.set(request, {
      user: `@${carl.username}`,
      type: 'meeting',
      brief: 'Agree on a one-hour call about the Q4 budget.',
      meeting: { duration_minutes: 60, windows: [{ start: `${meetingDay}T12:00`, end: `${meetingDay}T20:00` }] },
    });
    const gw = companionBot();
    const toCarl = () => [...gw.account.sender.delivered.values()].filter((m) => m.peer === `user:${carl.telegramId}`);
    let question: Api.messages.SendMessage | undefined;
    let taskId = '';
    await stack.run(async () => {
      gw.bot.push(privateMessageUpdate(owner, { message: request }));
      await waitUntil(() => toCarl().length > 0, 'Carl written to', 60_000);
      taskId = (await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(carl.telegramId) } })).id;
      await stack.send(carl, `propose ${meetingDay}T09:00 ${meetingDay}T10:00 ${CONTACT_ZONE}`);
      await waitUntil(
        () =>
          (question = botMessagesTo(gw, owner.id).find((r) => r.message.includes('outside your windows'))) !==
          undefined,
        'owner asked in the bot chat',
        60_000,
      );
    }, gw.activities);
    // The question carries the two buttons; nothing else the bot sent does.
    const markup = question!.replyMarkup as Api.ReplyInlineMarkup;
    const buttons = markup.rows[0]!.buttons as Api.KeyboardButtonCallback[];
    expect(buttons.map((b) => [b.text, b.data.toString()])).toEqual([
      ['✅ Accept', `decide:${taskId}:accept`],
      ['❌ Decline', `decide:${taskId}:decline`],
    ]);
    expect(botMessagesTo(gw, owner.id).filter((r) => r.replyMarkup)).toHaveLength(1);
    const questionId = [...gw.bot.sender.delivered.values()].find((m) => m.text === question!.message)!.id;

    const carlBefore = toCarl().length;
    await stack.run(async () => {
      const first = await tap(gw, owner.id, questionId, decisionData(taskId, 'accept'));
      expect(first).toMatch(/^Accepted/);
      await waitUntil(() => toCarl().length > carlBefore, 'Carl asked to confirm', 60_000);
      // A second tap on Accept: the same verdict, applied once.
      expect(await tap(gw, owner.id, questionId, decisionData(taskId, 'accept'))).toBe(first);
      // After a gateway restart (new clients, new handlers), still the same verdict.
      const restarted = companionBot();
      expect(await tap(restarted, owner.id, questionId, decisionData(taskId, 'accept'))).toBe(first);
      // Decline after Accept: the question was answered; the first verdict stands.
      expect(await tap(restarted, owner.id, questionId, decisionData(taskId, 'decline'))).toBe(first);
      // Someone else's tap (a forwarded message, say) does nothing.
      expect(await tap(restarted, carl.telegramId, questionId, decisionData(taskId, 'decline'))).toBe(
        PRIVATE_BOT_ANSWER,
      );
    }, gw.activities);
    const negotiation = await stack.db.negotiation.findUniqueOrThrow({ where: { id: taskId } });
    expect(negotiation.status).toBe('in_progress');
    // The verdict was posted in the bot chat once, however often Accept was tapped.
    const verdicts = [...gw.bot.sender.delivered.values()].filter((m) => m.text.startsWith('Accepted'));
    expect(verdicts).toHaveLength(1);
    // Carl was asked to confirm the accepted time once.
    expect(toCarl().filter((m) => m.text.includes('accepts'))).toHaveLength(1);
  });
});
