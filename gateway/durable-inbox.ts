// A message Telegram handed us must not be lost because PostgreSQL or Temporal was down
// when it arrived. A receive that fails is kept on disk (DATA_DIR/inbox, one file per
// message, written before the failure is reported) and tried again with backoff until it
// goes through, also after a restart. A chat with a message waiting keeps its order:
// later messages of that chat wait behind it.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../infra/logger.ts';
import { InvalidInboundMessage } from './core.ts';
import type { InboundMessage, ReceiveOutcome } from './core.ts';

export type InboxOutcome = ReceiveOutcome | 'queued';

export interface Receiver {
  receive(message: InboundMessage): Promise<ReceiveOutcome>;
}

export interface DurableInboxOptions {
  /** First wait before a retry, doubled after each failed round up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

interface Kept extends Omit<InboundMessage, 'date'> {
  date?: string;
}

export class DurableInbox {
  private timer?: NodeJS.Timeout;
  private draining?: Promise<void>;
  /** A message was kept while a round was running: another round follows it. */
  private again = false;
  private delayMs: number;
  private closed = false;
  /** Chats with a message waiting on disk (their later messages queue behind it). */
  private readonly waitingChats = new Set<number>();

  constructor(
    private readonly target: Receiver,
    private readonly dir: string,
    private readonly options: DurableInboxOptions = {},
  ) {
    this.delayMs = options.initialDelayMs ?? 1_000;
  }

  /** Messages kept by a previous run are tried again now. */
  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const file of await this.files()) this.waitingChats.add(chatOf(file));
    if (this.waitingChats.size > 0) this.schedule(0);
  }

  async receive(message: InboundMessage): Promise<InboxOutcome> {
    if (this.waitingChats.has(message.from.telegramId)) {
      await this.keep(message);
      return 'queued';
    }
    try {
      return await this.target.receive(message);
    } catch (err) {
      // Input that can never be received is not kept for ever: the caller hears of it.
      if (err instanceof InvalidInboundMessage) throw err;
      log.warn('Incoming message kept to retry (receive failed)', {
        chatId: message.from.telegramId,
        messageId: message.messageId,
        error: err instanceof Error ? err.message : String(err),
      });
      await this.keep(message);
      return 'queued';
    }
  }

  /** How many messages are waiting on disk. */
  async pending(): Promise<number> {
    return (await this.files()).length;
  }

  /** Tries every kept message now, oldest first per chat; resolves when the round is over. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = this.drainNow().finally(() => {
      this.draining = undefined;
      if (this.again) {
        this.again = false;
        this.schedule(0);
      }
    });
    return this.draining;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private async drainNow(): Promise<void> {
    const stuck = new Set<number>();
    for (const file of await this.files()) {
      const chatId = chatOf(file);
      if (stuck.has(chatId)) continue;
      const path = join(this.dir, file);
      const kept = JSON.parse(await readFile(path, 'utf8')) as Kept;
      const message: InboundMessage = { ...kept, date: kept.date ? new Date(kept.date) : undefined };
      try {
        await this.target.receive(message);
        await rm(path, { force: true });
      } catch (err) {
        if (err instanceof InvalidInboundMessage) {
          log.error('Kept incoming message dropped: it is invalid', { file, error: err.message });
          await rm(path, { force: true });
          continue;
        }
        stuck.add(chatId);
      }
    }
    const left = new Set((await this.files()).map(chatOf));
    this.waitingChats.clear();
    for (const chat of left) this.waitingChats.add(chat);
    if (left.size === 0) {
      this.delayMs = this.options.initialDelayMs ?? 1_000;
      log.info('Kept incoming messages delivered');
      return;
    }
    this.schedule(this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, this.options.maxDelayMs ?? 60_000);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
  }

  /** Written to a temporary name and renamed, so a crash never leaves half a message. */
  private async keep(message: InboundMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = fileName(message);
    const kept: Kept = { ...message, date: message.date?.toISOString() };
    await writeFile(join(this.dir, `${name}.tmp`), JSON.stringify(kept));
    await rename(join(this.dir, `${name}.tmp`), join(this.dir, name));
    this.waitingChats.add(message.from.telegramId);
    if (this.draining) this.again = true;
    else if (!this.timer) this.schedule(this.delayMs);
  }

  /** Kept messages, per chat in message-id order (file names sort that way). */
  private async files(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).sort();
  }
}

// Zero-padded, so that the names sort by chat and then by message id.
function fileName(message: InboundMessage): string {
  return `${String(message.from.telegramId).padStart(16, '0')}-${String(message.messageId).padStart(12, '0')}.json`;
}

function chatOf(file: string): number {
  return Number(file.split('-')[0]);
}
