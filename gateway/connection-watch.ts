// Watches whether the assistant's Temporal is reachable, for the chat simulator: one
// event when it goes away and one when it is back, instead of the SDK's retry logs.
import { EventEmitter } from 'node:events';
import { isListening } from '../infra/reachability.ts';

export interface ConnectionWatchEvents {
  lost: [];
  back: [];
}

export class ConnectionWatch extends EventEmitter<ConnectionWatchEvents> {
  private reachable = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly host: string;
  private readonly port: number;
  private readonly everyMs: number;

  constructor(target: { host: string; port: number }, everyMs = 1000) {
    super();
    this.host = target.host;
    this.port = target.port;
    this.everyMs = everyMs;
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  start(): void {
    const check = async () => {
      const now = await isListening(this.host, this.port, this.everyMs);
      if (now !== this.reachable) {
        this.reachable = now;
        this.emit(now ? 'back' : 'lost');
      }
      if (this.timer) this.timer = setTimeout(() => void check(), this.everyMs);
    };
    this.timer = setTimeout(() => void check(), this.everyMs);
  }

  /** Takes note of a failed call before the next check would. */
  markLost(): void {
    if (!this.reachable) return;
    this.reachable = false;
    this.emit('lost');
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
