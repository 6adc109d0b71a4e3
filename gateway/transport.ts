// The `telegram` task queue's activities, over whatever transport carries messages:
// GramJS for real Telegram, the simulated chat for local use and tests.
import type {
  SendFileInput,
  SendMessageInput,
  SendMessageResult,
  SendTypingInput,
  TelegramActivities,
} from '../contracts/telegram.ts';

export interface ChatTransport {
  /**
   * Delivers `text` to the chat. Must be idempotent on `idempotencyKey`: a second call
   * with the same key delivers nothing new and returns the first delivery's ids.
   */
  send(input: SendMessageInput): Promise<number[]>;
  typing(chatId: number): Promise<void>;
  /** Delivers a small file with a caption; idempotent on `idempotencyKey` like send(). */
  sendFile(input: SendFileInput): Promise<number>;
}

export function createTelegramActivities(transport: ChatTransport): TelegramActivities {
  return {
    async sendMessage(input: SendMessageInput): Promise<SendMessageResult> {
      return { messageIds: await transport.send(input) };
    },
    async sendTyping({ chatId }: SendTypingInput): Promise<void> {
      await transport.typing(chatId);
    },
    async sendFile(input: SendFileInput): Promise<SendMessageResult> {
      return { messageIds: [await transport.sendFile(input)] };
    },
  };
}
