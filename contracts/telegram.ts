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

/** A small file sent as a document with a caption (a meeting invitation's .ics). */
export interface SendFileInput {
  chatId: number;
  fileName: string;
  mimeType: string;
  /** The file's content as UTF-8 text (small text files only); empty when `path` names the file. */
  content: string;
  /**
   * Instead of `content`: a file of the recipient's own workspace (a tool's image, any
   * bytes), relative to the workspace root; the gateway refuses a path outside it.
   */
  path?: string;
  caption: string;
  /** As for SendMessageInput: a retried send delivers nothing new. */
  idempotencyKey: string;
}

export interface SendTypingInput {
  chatId: number;
}

export interface TelegramActivities {
  sendMessage(input: SendMessageInput): Promise<SendMessageResult>;
  sendTyping(input: SendTypingInput): Promise<void>;
  sendFile(input: SendFileInput): Promise<SendMessageResult>;
}
