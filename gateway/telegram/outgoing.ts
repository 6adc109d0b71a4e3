// The `telegram` task queue's transport over MTProto. Every part of a reply is sent
// with `messages.SendMessage` and a random_id derived from the activity's idempotency
// key, so retries never duplicate; sends to one chat are paced; flood waits are waited
// out (or handed back to Temporal as a retry delay) with the same random_id.
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Api, errors, helpers } from 'telegram';
import { FailureTypes } from '../../contracts/domain.ts';
import type { SendFileInput, SendMessageInput } from '../../contracts/telegram.ts';
import { readPersonFile } from '../../infra/workspace.ts';
import type { ChatTransport } from '../transport.ts';
import { formatForTelegram } from './format.ts';
import type { SendLog } from './own-sends.ts';
import { randomIdFor } from './random-id.ts';

/** The one network call the transport makes: GramJS's `client.invoke`. */
export type Invoke = <R extends Api.AnyRequest>(request: R) => Promise<R['__response']>;

export interface TelegramTransportOptions {
  invoke: Invoke;
  /** The peer to address a person with (their access hash comes from an earlier update). */
  peerFor(chatId: number): Promise<Api.TypeInputPeer>;
  sendIntervalMs: number;
  /** Where people's workspace files are (DATA_DIR), for files sent by path. */
  dataDir?: string;
  /** Flood waits up to this long are waited out inside the activity; longer ones become a Temporal retry delay. */
  maxInlineFloodWaitSeconds?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told around every part sent (the Saved Messages own-send record). */
  sendLog?: SendLog;
  /** A Unix time to schedule the next message to `chatId` for, so that it notifies (Saved Messages). */
  scheduleFor?(chatId: number): Promise<number | undefined>;
  /** Inline buttons for a message (a bot's only), put under its last part. */
  markupFor?(input: SendMessageInput): Promise<Api.TypeReplyMarkup | undefined>;
}

const FILE_PART_BYTES = 512 * 1024;
/** upload.saveFilePart takes files up to 10 MB (larger ones need saveBigFilePart). */
const MAX_SMALL_FILE_BYTES = 10 * 1024 * 1024;

// Errors that mean this person cannot receive messages from us at all.
const UNREACHABLE = [
  'USER_IS_BLOCKED',
  'PEER_ID_INVALID',
  'INPUT_USER_DEACTIVATED',
  'USER_DEACTIVATED',
  'YOU_BLOCKED_USER',
];

export class TelegramTransport implements ChatTransport {
  private readonly lastSentAt = new Map<number, number>();
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: TelegramTransportOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
  }

  async send(input: SendMessageInput): Promise<number[]> {
    const { chatId, text, idempotencyKey } = input;
    const peer = await this.options.peerFor(chatId);
    const ids: number[] = [];
    const parts = formatForTelegram(text);
    const scheduleDate = await this.options.scheduleFor?.(chatId);
    const replyMarkup = await this.options.markupFor?.(input);
    for (const [index, part] of parts.entries()) {
      const randomId = randomIdFor(parts.length === 1 ? idempotencyKey : `${idempotencyKey}#${index}`);
      await this.pace(chatId);
      await this.options.sendLog?.beforeSend(chatId, randomId.toString(), part.text);
      const result = await this.withFloodWait(() =>
        this.options.invoke(
          new Api.messages.SendMessage({
            peer,
            message: part.text,
            entities: part.entities.length > 0 ? part.entities : undefined,
            randomId,
            noWebpage: true,
            scheduleDate,
            replyMarkup: index === parts.length - 1 ? replyMarkup : undefined,
          }),
        ),
      );
      const id = sentMessageId(result, randomId);
      await this.options.sendLog?.afterSend(chatId, randomId.toString(), id);
      ids.push(id);
    }
    return ids;
  }

  /**
   * A small document (one upload part, under 512 KB) with a caption: the part's file id and
   * the message's random_id both come from the idempotency key, so a retry re-uploads the
   * same part and Telegram delivers the message once.
   */
  async sendFile({
    chatId,
    fileName,
    mimeType,
    content,
    path,
    caption,
    idempotencyKey,
  }: SendFileInput): Promise<number> {
    const peer = await this.options.peerFor(chatId);
    const bytes = path ? await this.workspaceFile(chatId, path) : Buffer.from(content, 'utf8');
    const fileId = randomIdFor(`${idempotencyKey}#file`);
    const randomId = randomIdFor(idempotencyKey);
    const scheduleDate = await this.options.scheduleFor?.(chatId);
    await this.pace(chatId);
    // Parts of 512 KB (Telegram's largest for upload.saveFilePart), at least one.
    const parts = Math.max(1, Math.ceil(bytes.length / FILE_PART_BYTES));
    for (let filePart = 0; filePart < parts; filePart++) {
      const part = bytes.subarray(filePart * FILE_PART_BYTES, (filePart + 1) * FILE_PART_BYTES);
      await this.withFloodWait(() =>
        this.options.invoke(new Api.upload.SaveFilePart({ fileId, filePart, bytes: part })),
      );
    }
    await this.options.sendLog?.beforeSend(chatId, randomId.toString(), caption);
    const result = await this.withFloodWait(() =>
      this.options.invoke(
        new Api.messages.SendMedia({
          peer,
          media: new Api.InputMediaUploadedDocument({
            file: new Api.InputFile({ id: fileId, parts, name: fileName, md5Checksum: '' }),
            mimeType,
            attributes: [new Api.DocumentAttributeFilename({ fileName })],
          }),
          message: caption,
          randomId,
          scheduleDate,
        }),
      ),
    );
    const id = sentMessageId(result, randomId);
    await this.options.sendLog?.afterSend(chatId, randomId.toString(), id);
    return id;
  }

  /** A file of the recipient's own workspace: never another person's, never larger than saveFilePart allows. */
  private async workspaceFile(chatId: number, path: string): Promise<Buffer> {
    if (!this.options.dataDir) {
      throw ApplicationFailure.create({
        message: 'This gateway has no workspace to send files from',
        nonRetryable: true,
      });
    }
    const bytes = await readPersonFile(this.options.dataDir, chatId, path).catch((err: Error) => {
      throw ApplicationFailure.create({ message: `The file cannot be sent: ${err.message}`, nonRetryable: true });
    });
    if (bytes.length > MAX_SMALL_FILE_BYTES) {
      throw ApplicationFailure.create({ message: 'The file is larger than 10 MB', nonRetryable: true });
    }
    return bytes;
  }

  async typing(chatId: number): Promise<void> {
    const peer = await this.options.peerFor(chatId);
    await this.options.invoke(new Api.messages.SetTyping({ peer, action: new Api.SendMessageTypingAction() }));
  }

  private async pace(chatId: number): Promise<void> {
    const wait = (this.lastSentAt.get(chatId) ?? -Infinity) + this.options.sendIntervalMs - this.now();
    if (wait > 0) await this.sleep(wait);
    this.lastSentAt.set(chatId, this.now());
  }

  private async withFloodWait<T>(call: () => Promise<T>): Promise<T> {
    const inlineLimit = this.options.maxInlineFloodWaitSeconds ?? 30;
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (err instanceof errors.FloodWaitError) {
          if (err.seconds > inlineLimit) {
            throw ApplicationFailure.create({
              type: 'TelegramFloodWait',
              message: `Telegram asks to wait ${err.seconds} s before sending again`,
              nextRetryDelay: err.seconds * 1000,
            });
          }
          heartbeat();
          await this.sleep(err.seconds * 1000);
          continue;
        }
        if (err instanceof errors.RPCError && UNREACHABLE.includes(err.errorMessage)) {
          throw ApplicationFailure.create({
            type: FailureTypes.chatUnreachable,
            message: `Telegram refused the message: ${err.errorMessage}`,
            nonRetryable: true,
          });
        }
        throw err;
      }
    }
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // Not inside an activity (direct use, tests): nothing to report to.
  }
}

/** The id Telegram gave the sent message, from whichever Updates shape it answered with. */
function sentMessageId(result: Api.TypeUpdates, randomId: ReturnType<typeof randomIdFor>): number {
  if (result instanceof Api.UpdateShortSentMessage) return result.id;
  if (result instanceof Api.Updates || result instanceof Api.UpdatesCombined) {
    for (const update of result.updates) {
      if (
        update instanceof Api.UpdateMessageID &&
        update.randomId &&
        helpers.returnBigInt(update.randomId).equals(randomId)
      ) {
        return update.id;
      }
    }
  }
  return 0;
}
