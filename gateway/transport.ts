// The `telegram` task queue's activities, over whatever transport carries messages:
// GramJS for real Telegram, the simulated chat for local use and tests.
import type {
  SendFileInput,
  SendMessageInput,
  SendMessageResult,
  SendTypingInput,
  TelegramActivities,
} from '../contracts/telegram.ts';
import type {
  LookUpPersonInput,
  LookUpPersonResult,
  TelegramDirectoryActivities,
} from '../contracts/look-up-person.ts';

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

/** Finds people who never wrote (gateway/telegram/people-lookup.ts); absent without a live connection. */
export interface PeopleLookup {
  lookUp(input: LookUpPersonInput): Promise<LookUpPersonResult>;
}

export function createTelegramActivities(
  transport: ChatTransport,
  people?: PeopleLookup,
): TelegramActivities & TelegramDirectoryActivities {
  return {
    async lookUpPerson(input: LookUpPersonInput): Promise<LookUpPersonResult> {
      if (people) return people.lookUp(input);
      return {
        found: false,
        sentence: `There is no live Telegram connection here (the local chat), so ${input.handle} cannot be looked up: only people who have written can be reached.`,
      };
    },
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
