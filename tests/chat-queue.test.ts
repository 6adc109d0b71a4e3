// The per-chat queue of the gateway: one chat strictly in order (whatever each message's
// handling awaits), different chats side by side, and no failure or hang silencing a chat.
import { describe, expect, it, vi } from 'vitest';
import { ChatQueues } from '../gateway/chat-queue.ts';

/** A task the test finishes by hand, recording when it started. */
function controlled(log: string[], name: string) {
  let finish!: (value: string) => void;
  let fail!: (err: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return {
    task: () => {
      log.push(`start ${name}`);
      return done.then((v) => {
        log.push(`end ${name}`);
        return v;
      });
    },
    finish: () => finish(name),
    fail: (err: Error) => fail(err),
  };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('ChatQueues', () => {
  it('runs one chat strictly one after another, in the order handed over, whichever finishes first', async () => {
    const queues = new ChatQueues();
    const log: string[] = [];
    const voice = controlled(log, 'voice');
    const text1 = controlled(log, 'text1');
    const text2 = controlled(log, 'text2');
    const results = [voice, text1, text2].map((c) => queues.run('chat-1', c.task));
    await flush();
    expect(log).toEqual(['start voice']);
    // The texts are "ready" first; they still wait for the voice note.
    text2.finish();
    text1.finish();
    await flush();
    expect(log).toEqual(['start voice']);
    voice.finish();
    expect(await Promise.all(results)).toEqual(['voice', 'text1', 'text2']);
    expect(log).toEqual(['start voice', 'end voice', 'start text1', 'end text1', 'start text2', 'end text2']);
    expect(queues.activeChats).toBe(0);
  });

  it('keeps different chats concurrent: one slow chat holds up no one else', async () => {
    const queues = new ChatQueues();
    const log: string[] = [];
    const slow = controlled(log, 'anna-voice');
    const quick = controlled(log, 'boris-text');
    const annas = queues.run('anna', slow.task);
    const boris = queues.run('boris', quick.task);
    await flush();
    expect(log).toEqual(['start anna-voice', 'start boris-text']);
    quick.finish();
    expect(await boris).toBe('boris-text');
    expect(log).not.toContain('end anna-voice');
    expect(queues.activeChats).toBe(1);
    slow.finish();
    await annas;
  });

  it('gives a failure to its caller and goes on with the chat (also for a task that throws at once)', async () => {
    const queues = new ChatQueues();
    const log: string[] = [];
    const broken = controlled(log, 'broken');
    const failed = queues.run('chat', broken.task);
    const thrown = queues.run('chat', () => {
      throw new Error('at once');
    });
    const next = controlled(log, 'next');
    const after = queues.run('chat', next.task);
    broken.fail(new Error('database down'));
    await expect(failed).rejects.toThrow('database down');
    await expect(thrown).rejects.toThrow('at once');
    next.finish();
    expect(await after).toBe('next');
  });

  it('lets the chat go on when a message hangs, counting the stall from when it started', async () => {
    vi.useFakeTimers();
    try {
      const queues = new ChatQueues({ stallAfterMs: 1000 });
      const log: string[] = [];
      const first = controlled(log, 'first');
      const hanging = controlled(log, 'hanging');
      const last = controlled(log, 'last');
      void queues.run('chat', first.task);
      void queues.run('chat', hanging.task);
      void queues.run('chat', last.task);
      await vi.advanceTimersByTimeAsync(700);
      first.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(log).toEqual(['start first', 'end first', 'start hanging']);
      // 1.5 s after the hanging one was queued, but 0.8 s after it started: the chat still waits.
      await vi.advanceTimersByTimeAsync(800);
      expect(log).not.toContain('start last');
      await vi.advanceTimersByTimeAsync(250);
      expect(log).toContain('start last');
      last.finish();
      hanging.finish();
      await vi.advanceTimersByTimeAsync(0);
      expect(log.slice(-2).sort()).toEqual(['end hanging', 'end last']);
      expect(queues.activeChats).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
