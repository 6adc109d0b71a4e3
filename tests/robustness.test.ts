// Nothing lost, nothing doubled. Fault injection with a real PostgreSQL outage: the worker and the gateway reach the
// database through a TCP proxy that the test cuts (every connection reset, new ones
// refused) for 15 s and then restores. Nothing the owner or a contact said may be lost,
// nothing done twice, and no database error text may reach a model or a person.
import { inject } from 'vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../infra/db.ts';
import type { Db } from '../infra/db.ts';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';
import { NewMessage } from 'telegram/events/index.js';
import type { NewMessageEvent } from 'telegram/events/index.js';
import { REPO_ROOT } from '../infra/paths.ts';
import { createNegotiationActivities } from '../activities/negotiations.ts';
import { memoryFilePath } from '../activities/memory/memory-service.ts';
import { DurableInbox } from '../gateway/durable-inbox.ts';
import { TelegramIncoming } from '../gateway/telegram/incoming.ts';
import type { IncomingOutcome } from '../gateway/telegram/incoming.ts';
import { CommandChat } from './support/command-world.ts';
import { createOfflineTelegram, nextMessageId, privateMessageUpdate } from './support/offline-telegram.ts';
import { createTelegramActivities } from '../gateway/transport.ts';
import { createClaudeClient } from '../worker/claude-client.ts';
import { createMainWorker } from '../worker/main-worker.ts';
import { endsWithToolResult, negotiationWorld } from './support/negotiation-world.ts';
import { lastUserTexts, toolResults } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { TcpProxy } from './support/tcp-proxy.ts';
import { waitUntil } from './support/wait.ts';

const OUTAGE_MS = 15_000;
/** What must never be shown to a model or a person. */
const LEAK = /prisma|invocation|\.ts:\d|node_modules|SELECT |INSERT |ECONNREFUSED|DatabaseNotReachable|Can't reach/i;

let stack: TestStack;
let proxy: TcpProxy;
let direct: Db;
const starts = new Map<string, Record<string, unknown>>();
/** Called before and after every activity the main worker runs: the test's fault-injection points. */
let beforeActivity: ((type: string, args: unknown[]) => Promise<void>) | undefined;
let afterActivity: ((type: string, args: unknown[]) => Promise<void>) | undefined;

beforeAll(async () => {
  const databaseUrl = inject('databaseUrl');
  const target = new URL(databaseUrl);
  proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  stack = await createTestStack({ DATABASE_URL: proxy.urlFor(databaseUrl), OWNER_TIMEZONE: 'Europe/Berlin' });
  direct = createDb(databaseUrl);
  stack.claude.script = negotiationWorld({ starts });
});

/** Like stack.run, with a main worker whose activities pass `beforeActivity` first. */
async function run<T>(fn: () => Promise<T>): Promise<T> {
  const main = await createMainWorker({
    connection: stack.env.nativeConnection,
    client: stack.env.client,
    config: stack.config,
    db: stack.db,
    anthropic: createClaudeClient(stack.config),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    tuning: {
      stickyQueueScheduleToStartTimeout: '500ms',
      interceptors: {
        activity: [
          (ctx) => ({
            inbound: {
              async execute(input, next) {
                await beforeActivity?.(ctx.info.activityType, input.args);
                const result = await next(input);
                await afterActivity?.(ctx.info.activityType, input.args);
                return result;
              },
            },
          }),
        ],
      },
    },
  });
  const tg = await Worker.create({
    connection: stack.env.nativeConnection,
    taskQueue: stack.config.telegramTaskQueue,
    dataConverter: stack.dataConverter,
    activities: createTelegramActivities(stack.telegram),
  });
  return main.runUntil(tg.runUntil(fn));
}

afterAll(async () => {
  await proxy?.restore();
  await stack?.teardown();
  await direct?.$disconnect();
  await proxy?.cut();
});

/** Cuts the database off now and brings it back after OUTAGE_MS; `over` resolves when it is back. */
async function outage(): Promise<{ over: Promise<number> }> {
  await proxy.cut();
  return {
    over: new Promise((resolve) =>
      setTimeout(() => {
        void proxy.restore().then(() => resolve(Date.now()));
      }, OUTAGE_MS),
    ),
  };
}

async function sessionIdle(telegramId: number) {
  const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(telegramId));
  await waitUntil(
    async () => {
      const s = await handle.query(sessionStatusQuery);
      return !s.busy && s.queued === 0;
    },
    'session idle',
    120_000,
  );
}

describe('a 15-second PostgreSQL outage', () => {
  it("in the middle of a negotiation: the contact's reply is recorded once and the negotiation goes on", async () => {
    const bob = stack.newContact('Bob');
    await direct.user.create({
      data: { telegramId: BigInt(bob.telegramId), firstName: 'Bob', username: bob.username },
    });
    const request = `Ask @${bob.username} which day suits him`;
    starts.set(request, { user: `@${bob.username}`, type: 'question', brief: 'Ask which day suits him for the demo.' });

    let cut: { over: Promise<number> } | undefined;
    beforeActivity = async (type, args) => {
      // The contact's model has read his answer and records it: the database goes away now.
      const call = args[0] as { name?: string; telegramId?: number };
      if (!cut && type === 'executeTool' && call.name === 'update_conversation' && call.telegramId === bob.telegramId) {
        cut = await outage();
      }
    };
    await run(async () => {
      await stack.send(stack.owner, request);
      await waitUntil(
        () => stack.telegram.messagesTo(bob.telegramId).some((m) => m.text.includes('which day')),
        'question asked',
        120_000,
      );
      await sessionIdle(bob.telegramId);
      await stack.send(bob, 'answer Tuesday');
      await waitUntil(() => cut !== undefined, 'outage started', 60_000);
      const restoredAt = await cut!.over;

      const negotiation = await direct.negotiation.findFirstOrThrow({ where: { contactId: BigInt(bob.telegramId) } });
      await waitUntil(
        async () =>
          (await direct.negotiation.findUniqueOrThrow({ where: { id: negotiation.id } })).status === 'completed',
        'negotiation completed after the outage',
        180_000,
      );
      expect((await direct.negotiation.findUniqueOrThrow({ where: { id: negotiation.id } })).result).toEqual({
        answer: 'Tuesday',
      });
      expect(Date.now()).toBeGreaterThanOrEqual(restoredAt);
      await waitUntil(
        () => stack.telegram.messagesTo(stack.owner.telegramId).some((m) => m.text.includes('Tuesday')),
        'owner told the answer',
        120_000,
      );
      await sessionIdle(bob.telegramId);
    });

    // Recorded once, though the call was tried again and again during the outage.
    const recorded = await direct.toolCall.findMany({
      where: { telegramId: BigInt(bob.telegramId), tool: 'update_conversation' },
    });
    expect(recorded.map((r) => r.outcome)).toEqual(['ok']);
    // The model got the negotiation's verdict, never an error; nobody saw database text.
    const results = stack.claude.requests.filter((r) => endsWithToolResult(r)).map((r) => toolResults(r).at(-1));
    expect(results.some((r) => /answer/i.test(String(r.content)) && !r.is_error)).toBe(true);
    for (const r of stack.claude.requests) expect(JSON.stringify(r.body.messages)).not.toMatch(LEAK);
    for (const chat of [bob.telegramId, stack.owner.telegramId]) {
      for (const m of stack.telegram.messagesTo(chat)) expect(m.text).not.toMatch(LEAK);
    }
    beforeActivity = undefined;
  }, 420_000);
});

describe('the Telegram gateway during a PostgreSQL outage', () => {
  it('keeps a message whose receive failed, and delivers it (and the ones behind it, in order) once the database is back, also after a restart', async () => {
    const tg = createOfflineTelegram(stack.owner.telegramId);
    const inboxDir = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'inbox-'));
    const outcomes = new Map<number, IncomingOutcome>();
    // The gateway as run-gateway.ts assembles it: GramJS updates → TelegramIncoming → inbox → core.
    let inbox = new DurableInbox(stack.gateway, inboxDir, { initialDelayMs: 200, maxDelayMs: 2_000 });
    await inbox.start();
    const incoming = new TelegramIncoming({
      gateway: { receive: (message) => inbox.receive(message) },
      config: stack.config,
      download: async () => undefined,
    });
    tg.client.addEventHandler(async (event: NewMessageEvent) => {
      outcomes.set(event.message.id, await incoming.handle(event.message));
    }, new NewMessage({}));
    const cleo = { id: stack.newContact('Cleo').telegramId, firstName: 'Cleo', username: 'cleo_outage' };
    const first = nextMessageId();
    const second = nextMessageId();

    await run(async () => {
      const { over } = await outage();
      tg.push(privateMessageUpdate(cleo, { id: first, message: 'Are you free on Friday?' }));
      await waitUntil(() => outcomes.has(first), 'first message handled', 60_000);
      tg.push(privateMessageUpdate(cleo, { id: second, message: 'Or Saturday?' }));
      await waitUntil(() => outcomes.has(second), 'second message handled', 60_000);
      // Neither could be recorded: both are kept on disk, none lost, none reported as delivered.
      expect([outcomes.get(first), outcomes.get(second)]).toEqual(['queued', 'queued']);
      expect(await inbox.pending()).toBe(2);
      // The gateway stops before the database is back; a new one starts from the same inbox.
      inbox.close();
      await over;
      inbox = new DurableInbox(stack.gateway, inboxDir, { initialDelayMs: 200, maxDelayMs: 2_000 });
      await inbox.start();
      await waitUntil(async () => (await inbox.pending()) === 0, 'kept messages delivered', 120_000);
      await waitUntil(
        () => stack.claude.requests.some((r) => lastUserTexts(r).join('\n').includes('Or Saturday?')),
        'both messages reached the session',
        120_000,
      );
      await sessionIdle(cleo.id);
    });
    inbox.close();
    // The conversation the model last saw holds each message once, in the order Cleo wrote them.
    const last = stack.claude.requests.filter((r) => JSON.stringify(r.body.messages).includes('Or Saturday?')).at(-1)!;
    const seen = JSON.stringify(last.body.messages);
    expect(seen.match(/Are you free on Friday\?/g)).toHaveLength(1);
    expect(seen.match(/Or Saturday\?/g)).toHaveLength(1);
    expect(seen.indexOf('Friday')).toBeLessThan(seen.indexOf('Saturday'));
    const recorded = await direct.incomingMessage.findMany({ where: { chatId: BigInt(cleo.id) } });
    expect(recorded.map((m) => m.signalledAt !== null)).toEqual([true, true]);
  }, 420_000);
});

describe('a tool call retried after its side effect (the worker lost before reporting back)', () => {
  it('creates each task, reminder, note and negotiation once, tells the assignee once, and answers as the first attempt did', async () => {
    const chat = new CommandChat(stack);
    const previousScript = stack.claude.script;
    stack.claude.script = chat.script();
    const dana = stack.newContact('Dana');
    await direct.user.create({
      data: { telegramId: BigInt(dana.telegramId), firstName: 'Dana', username: dana.username },
    });
    const failedOnce = new Set<string>();
    // After each tool call's first attempt has done its work: its audit row (with its
    // answer) is lost too, as if the worker died before writing it, and the attempt fails.
    // Temporal retries it; the retry must find what the first attempt made.
    afterActivity = async (type, args) => {
      const call = args[0] as { sessionId: string; toolUseId: string; name: string };
      if (type !== 'executeTool' || failedOnce.has(call.toolUseId)) return;
      failedOnce.add(call.toolUseId);
      await direct.toolCall.deleteMany({ where: { callId: `${call.sessionId}/${call.toolUseId}` } });
      throw new Error('worker lost after the side effect');
    };
    try {
      await run(async () => {
        const task = await chat.says(stack.owner, 'give Dana the slides', 'create_task', {
          person: `@${dana.username}`,
          title: 'Q4 slides',
        });
        expect(task).toMatch(/^Created task/);
        const reminder = await chat.says(stack.owner, 'remind me in an hour', 'set_reminder', {
          text: 'call the bank',
          in_minutes: 60,
        });
        expect(reminder).toMatch(/^Reminder .* set for/);
        const recurring = await chat.says(stack.owner, 'every monday at 9 the agenda', 'schedule_recurring', {
          text: 'weekly agenda',
          days: ['mon'],
          time: '09:00',
        });
        expect(recurring).toMatch(/^Recurring reminder/);
        const noted = await chat.says(stack.owner, 'note about Dana', 'set_person_notes', {
          person: `@${dana.username}`,
          notes: 'prefers mornings',
        });
        expect(noted).toMatch(/updated/);
        const started = await chat.says(stack.owner, 'ask Dana about lunch', 'start_conversation', {
          user: `@${dana.username}`,
          type: 'question',
          brief: 'Ask Dana where she wants to have lunch.',
        });
        expect(started).toMatch(/^Started conversation/);
        await sessionIdle(dana.telegramId);
      });
    } finally {
      afterActivity = undefined;
      stack.claude.script = previousScript;
    }
    expect(failedOnce.size).toBe(5);
    const owner = BigInt(stack.owner.telegramId);
    const danaId = BigInt(dana.telegramId);
    expect(await direct.task.count({ where: { assigneeId: danaId } })).toBe(1);
    expect(await direct.reminder.count({ where: { ownerId: owner, text: 'call the bank' } })).toBe(1);
    expect(await direct.reminder.count({ where: { ownerId: owner, text: 'weekly agenda' } })).toBe(1);
    expect((await direct.user.findUniqueOrThrow({ where: { telegramId: danaId } })).notes).toBe('prefers mornings');
    expect(await direct.negotiation.count({ where: { contactId: danaId } })).toBe(1);
    const toDana = stack.telegram.messagesTo(dana.telegramId).map((m) => m.text);
    expect(toDana.filter((t) => t.includes('Q4 slides'))).toHaveLength(1);
    expect(toDana.filter((t) => t.includes('lunch'))).toHaveLength(1);
  }, 420_000);
});

describe('a Claude call retried after its completion was lost', () => {
  it('records its token usage once', async () => {
    const chat = new CommandChat(stack);
    const previousScript = stack.claude.script;
    stack.claude.script = chat.script();
    const since = new Date();
    let failed = false;
    afterActivity = async (type, args) => {
      const messages = JSON.stringify((args[0] as { messages?: unknown }).messages ?? '');
      if (type !== 'callClaude' || failed || !messages.includes('usage probe')) return;
      failed = true;
      throw new Error('worker lost after Claude answered');
    };
    try {
      await run(async () => {
        expect(await chat.says(stack.owner, 'usage probe')).toBe('(no command) usage probe');
        await sessionIdle(stack.owner.telegramId);
      });
    } finally {
      afterActivity = undefined;
      stack.claude.script = previousScript;
    }
    // Claude was asked twice (the retry), the call is counted once.
    const asked = stack.claude.requests.filter((r) => lastUserTexts(r).includes('usage probe'));
    expect(asked).toHaveLength(2);
    const rows = await direct.llmUsage.count({
      where: { telegramId: BigInt(stack.owner.telegramId), createdAt: { gte: since } },
    });
    expect(rows).toBe(1);
  }, 420_000);
});

describe('NUL bytes at the edges', () => {
  it('a sender named with a NUL is recorded and answered; a NUL in memory_save or in a refused call is stored harmlessly', async () => {
    const chat = new CommandChat(stack);
    const previousScript = stack.claude.script;
    stack.claude.script = chat.script();
    const zoe = { ...stack.newContact('Zoe'), firstName: 'Zo\u0000e' };
    try {
      await run(async () => {
        expect(await chat.says(zoe, 'hello from Zoe')).toBe('(no command) hello from Zoe');
        const saved = await chat.says(stack.owner, 'remember the NUL fact', 'memory_save', {
          text: 'The door code is 12\u000034',
        });
        expect(saved).toMatch(/^Remembered/);
        // The next owner turn recalls memory without failing on the saved fact.
        expect(await chat.says(stack.owner, 'what is the door code?')).toBe('(no command) what is the door code?');
        const refused = await chat.says(zoe, 'remember this for me', 'memory_save', { text: 'owes\u0000me' });
        expect(refused).toMatch(/^Refused/);
        await sessionIdle(zoe.telegramId);
      });
    } finally {
      stack.claude.script = previousScript;
    }
    const user = await direct.user.findUniqueOrThrow({ where: { telegramId: BigInt(zoe.telegramId) } });
    expect(user.firstName).toBe('Zo\uFFFDe');
    const memory = readFileSync(memoryFilePath(stack.config.dataDir), 'utf8');
    expect(memory).toContain('The door code is 12\uFFFD34');
    expect(memory).not.toContain('\u0000');
    const audit = await direct.toolCall.findFirstOrThrow({
      where: { telegramId: BigInt(zoe.telegramId), tool: 'memory_save' },
    });
    expect(audit.outcome).toBe('refused');
    expect(JSON.stringify(audit.input)).toContain('owes\uFFFDme');
  }, 420_000);
});

describe('a negotiation whose database row was deleted', () => {
  it('records nothing, tells the owner once, and does not fail (a retry could never bring the row back)', async () => {
    const activities = createNegotiationActivities({ db: direct, sessions: stack.sessions });
    const taskId = randomUUID();
    await run(async () => {
      // As the negotiation's projection runs it, twice (two status changes).
      await activities.recordNegotiation({ taskId, status: 'in_progress' });
      await activities.recordNegotiation({ taskId, status: 'completed', result: { answer: 'the boathouse' } });
      const toOwner = () => stack.telegram.messagesTo(stack.owner.telegramId).map((m) => m.text);
      await waitUntil(
        () => toOwner().some((t) => t.includes(`record of conversation ${taskId} is missing`)),
        'owner told',
        120_000,
      );
      await sessionIdle(stack.owner.telegramId);
      expect(toOwner().filter((t) => t.includes(`record of conversation ${taskId} is missing`))).toHaveLength(1);
    });
  }, 420_000);
});
