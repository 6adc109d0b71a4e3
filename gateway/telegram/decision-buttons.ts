// One-tap decisions in the companion bot's chat. When a negotiation asks the owner to
// decide (a time outside their windows), its message to the owner comes with Accept and
// Decline buttons (only a bot can attach them). A tap becomes the owner's decision on
// that negotiation, as an update whose id is made from the message: a second tap, of
// either button and also after a restart, gets the first verdict again and changes nothing.
import { Api } from 'telegram';
import type { TelegramClient } from 'telegram';
import { Raw } from 'telegram/events/Raw.js';
import { log } from '../../infra/logger.ts';
import type { ChatTransport } from '../transport.ts';
import type { NegotiationClient, Verdict } from '../../clients/negotiations.ts';
import type { SendMessageInput } from '../../contracts/telegram.ts';
import { PRIVATE_BOT_ANSWER } from '../../pure/control-chat.ts';

type Choice = 'accept' | 'decline';

// The session sends a negotiation's message to the owner under `…/notice/negotiation-<taskId>/to-owner-<n>`.
const NEGOTIATION_NOTICE = /\/notice\/negotiation-([0-9a-f-]{36})\/to-owner-\d+$/;
const DATA = /^decide:([0-9a-f-]{36}):(accept|decline)$/;

export function decisionData(taskId: string, choice: Choice): Buffer {
  return Buffer.from(`decide:${taskId}:${choice}`);
}

export function parseDecisionData(data: Buffer | undefined): { taskId: string; choice: Choice } | undefined {
  const match = data ? DATA.exec(data.toString('utf8')) : null;
  return match ? { taskId: match[1]!, choice: match[2] as Choice } : undefined;
}

export function verdictText(verdict: Verdict): string {
  if (verdict.outcome === 'accepted') return verdict.text;
  if (verdict.outcome === 'rejected') return verdict.reason;
  return 'This conversation is already over.';
}

export class DecisionButtons {
  constructor(
    private readonly deps: {
      negotiations: Pick<NegotiationClient, 'decide' | 'status'>;
      ownerTelegramId: number;
    },
  ) {}

  /** Accept/Decline for a negotiation's message that asks the owner to decide; nothing otherwise. */
  async markupFor(input: SendMessageInput): Promise<Api.ReplyInlineMarkup | undefined> {
    const taskId = NEGOTIATION_NOTICE.exec(input.idempotencyKey)?.[1];
    if (!taskId || input.chatId !== this.deps.ownerTelegramId) return undefined;
    const view = await this.deps.negotiations.status(taskId).catch(() => undefined);
    if (view?.status !== 'awaiting_owner') return undefined;
    const button = (text: string, choice: Choice) =>
      new Api.KeyboardButtonCallback({ text, data: decisionData(taskId, choice) });
    return new Api.ReplyInlineMarkup({
      rows: [new Api.KeyboardButtonRow({ buttons: [button('✅ Accept', 'accept'), button('❌ Decline', 'decline')] })],
    });
  }

  /**
   * A tap: the decision goes to the negotiation, the verdict comes back as the tap's answer
   * (a short notice on the owner's screen) and as a message in the chat.
   */
  async onTap(
    tap: Api.UpdateBotCallbackQuery,
    answer: (text: string) => Promise<void>,
    post: (text: string, idempotencyKey: string) => Promise<void>,
  ): Promise<string> {
    if (Number(tap.userId.toString()) !== this.deps.ownerTelegramId) {
      await answer(PRIVATE_BOT_ANSWER);
      return PRIVATE_BOT_ANSWER;
    }
    const parsed = parseDecisionData(tap.data);
    if (!parsed) {
      await answer('This button no longer does anything.');
      return 'unknown button';
    }
    // One decision per question: whichever button is tapped again, the first verdict stands.
    const requestId = `button/${tap.msgId}`;
    const text = verdictText(
      await this.deps.negotiations.decide(parsed.taskId, { decision: parsed.choice }, requestId),
    );
    await answer(text.length > 190 ? `${text.slice(0, 189)}…` : text);
    await post(text, requestId);
    return text;
  }
}

/**
 * Wires taps on the bot's buttons to `buttons.onTap`: each tap is answered (Telegram shows
 * a spinner until it is) and its verdict posted in the chat by the bot.
 */
export function listenForTaps(
  bot: Pick<TelegramClient, 'addEventHandler' | 'invoke'>,
  buttons: DecisionButtons,
  replies: ChatTransport,
  onDone: (tap: Api.UpdateBotCallbackQuery, outcome: string) => void = () => undefined,
): void {
  bot.addEventHandler(
    async (update: unknown) => {
      if (!(update instanceof Api.UpdateBotCallbackQuery)) return;
      try {
        const outcome = await buttons.onTap(
          update,
          async (message) => {
            await bot.invoke(new Api.messages.SetBotCallbackAnswer({ queryId: update.queryId, message }));
          },
          async (text, idempotencyKey) => {
            await replies.send({ chatId: Number(update.userId.toString()), text, idempotencyKey });
          },
        );
        onDone(update, outcome);
      } catch (err) {
        log.error('A button tap was not handled', { error: err });
        await bot
          .invoke(
            new Api.messages.SetBotCallbackAnswer({
              queryId: update.queryId,
              message: 'That did not work just now: tap again in a minute.',
            }),
          )
          .catch(() => undefined);
        onDone(update, 'failed');
      }
    },
    new Raw({ types: [Api.UpdateBotCallbackQuery] }),
  );
}
