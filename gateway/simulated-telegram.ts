// An in-process stand-in for Telegram's side of the chats, used by the terminal chat
// simulator, the tests and the benchmark. Like Telegram with `random_id`, it delivers
// a message once per idempotency key, however often a retried activity sends it.
import { EventEmitter } from 'node:events';
import type { SendFileInput, SendMessageInput } from '../contracts/telegram.ts';
import type { ChatTransport } from './transport.ts';

export interface DeliveredMessage {
  chatId: number;
  messageId: number;
  text: string;
  idempotencyKey: string;
  at: Date;
  /** A document sent with the message (its text is the caption). */
  file?: { fileName: string; mimeType: string; content: string; path?: string };
}

export interface SimulatedTelegramEvents {
  message: [DeliveredMessage];
  typing: [number];
}

export class SimulatedTelegram extends EventEmitter<SimulatedTelegramEvents> implements ChatTransport {
  readonly delivered: DeliveredMessage[] = [];
  /** Every send attempt, including the ones de-duplicated: lets tests see retries happen. */
  readonly attempts: SendMessageInput[] = [];
  private readonly byKey = new Map<string, DeliveredMessage>();
  private nextMessageId = 1;
  /** Test hook: runs after a message is delivered and may throw, like a lost acknowledgement. */
  afterDelivery: ((message: DeliveredMessage, attempt: number) => void) | undefined;

  constructor() {
    super();
    // Tests and benchmarks wait on many chats at once.
    this.setMaxListeners(0);
  }

  async send(input: SendMessageInput): Promise<number[]> {
    return [this.deliver(input)];
  }

  async sendFile({
    chatId,
    fileName,
    mimeType,
    content,
    path,
    caption,
    idempotencyKey,
  }: SendFileInput): Promise<number> {
    return this.deliver(
      { chatId, text: caption, idempotencyKey },
      { fileName, mimeType, content, ...(path && { path }) },
    );
  }

  private deliver(input: SendMessageInput, file?: DeliveredMessage['file']): number {
    this.attempts.push(input);
    const key = `${input.chatId}/${input.idempotencyKey}`;
    let message = this.byKey.get(key);
    if (!message) {
      message = {
        chatId: input.chatId,
        messageId: this.nextMessageId++,
        text: input.text,
        idempotencyKey: input.idempotencyKey,
        at: new Date(),
        ...(file && { file }),
      };
      this.byKey.set(key, message);
      this.delivered.push(message);
      this.emit('message', message);
    }
    this.afterDelivery?.(message, this.attempts.filter((a) => a.idempotencyKey === input.idempotencyKey).length);
    return message.messageId;
  }

  async typing(chatId: number): Promise<void> {
    this.emit('typing', chatId);
  }

  messagesTo(chatId: number): DeliveredMessage[] {
    return this.delivered.filter((m) => m.chatId === chatId);
  }

  /** Resolves with the next `count` messages delivered to `chatId` (counting those already there after `since`). */
  waitForMessages(chatId: number, count: number, since = 0): Promise<DeliveredMessage[]> {
    return new Promise((resolve) => {
      const check = () => {
        const got = this.messagesTo(chatId).slice(since);
        if (got.length >= count) {
          this.off('message', check);
          resolve(got.slice(0, count));
        }
      };
      this.on('message', check);
      check();
    });
  }
}
