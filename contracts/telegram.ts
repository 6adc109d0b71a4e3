// The contract of the `telegram` task queue: the activities that need the live
// connection to Telegram. The real gateway (GramJS) and the local chat simulator both
// implement it, so workflows cannot tell them apart. No Node imports (workflow bundle).

export interface SendMessageInput {
  chatId: number;
  text: string;
  /**
   * Stable across retries of the same send: the transport derives Telegram's
   * `random_id` from it, so a retried activity never produces a second message.
   */
  idempotencyKey: string;
}

export interface SendMessageResult {
  /** Telegram message ids of the delivered parts (a long text may be split). */
  messageIds: number[];
}

export interface SendTypingInput {
  chatId: number;
}

/** A file from the person's own workspace (a tool's output), sent with a caption. */
export interface SendFileInput {
  chatId: number;
  /** Relative to the workspace root; refused unless it is in this chat's person's folder. */
  path: string;
  caption: string;
  /** As for messages: a retried send delivers the file once. */
  idempotencyKey: string;
}

export interface TelegramActivities {
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
  sendFile(input: SendFileInput): Promise<SendMessageResult>;
  sendTyping(input: SendTypingInput): Promise<void>;
}
