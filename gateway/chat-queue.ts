// One chat's incoming messages are handled strictly one after another, in the order they
// were handed over; different chats run side by side. GramJS starts every update's handler
// without waiting for the previous one, and handling a message awaits a media download and
// database writes before the session is signalled, so without this a voice note reaches
// the session after the "what do you think?" sent right behind it.
import { log } from '../infra/logger.ts';

export interface ChatQueueOptions {
  /**
   * After this long a message still being handled stops holding up the rest of its chat
   * (a download that never finishes must not silence the person): the next one starts,
   * and the late one still completes on its own. The session orders by message id anyway.
   */
  stallAfterMs?: number;
}

const DEFAULT_STALL_AFTER_MS = 5 * 60_000;

export class ChatQueues {
  /** Per chat, the promise that settles when its last queued task lets the next one start. */
  private readonly tails = new Map<string, Promise<void>>();
  private readonly stallAfterMs: number;

  constructor(options: ChatQueueOptions = {}) {
    this.stallAfterMs = options.stallAfterMs ?? DEFAULT_STALL_AFTER_MS;
  }

  /**
   * Runs `task` once everything queued before it for `chat` is done (or stalled). The queue
   * position is taken synchronously, at the call: call it in the order the messages came.
   * The task's own result or failure goes to the caller; a failure never blocks the chat.
   */
  run<T>(chat: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(chat) ?? Promise.resolve();
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const result = previous.then(() => {
      // The stall clock starts when the task does, not while it waits its turn.
      const timer = setTimeout(() => {
        log.warn('A message is taking long to handle; the next ones of its chat go ahead', {
          chat,
          stallAfterMs: this.stallAfterMs,
        });
        release();
      }, this.stallAfterMs);
      timer.unref();
      const running = new Promise<T>((resolve) => resolve(task()));
      const done = () => {
        clearTimeout(timer);
        release();
      };
      running.then(done, done);
      return running;
    });
    this.tails.set(chat, tail);
    void tail.then(() => {
      if (this.tails.get(chat) === tail) this.tails.delete(chat);
    });
    return result;
  }

  /** Chats with something queued or under way. */
  get activeChats(): number {
    return this.tails.size;
  }
}
