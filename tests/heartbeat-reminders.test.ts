// The heartbeat and one-off reminders over days, on Temporal's time-skipping test
// server, with real PostgreSQL and the scripted Claude.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { ensureHeartbeat } from '../worker/heartbeat-starter.ts';
import { hourInZone, localDateInZone } from '../pure/time-zones.ts';
import { heartbeatStatusQuery, heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import { reminderWorkflowId } from '../contracts/reminder.ts';
import { CommandChat } from './support/command-world.ts';
import { nextLocalTime, skipTo as skipServerClockTo } from './support/server-clock.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';

const ZONE = 'Europe/Berlin';
const HOUR = 3600_000;
let stack: TestStack;
let chat: CommandChat;

const isHeartbeat = (r: RecordedRequest) => (r.body.system[0].text as string).includes('periodic check');
const heartbeatCalls = () => stack.claude.requests.filter(isHeartbeat);

beforeAll(async () => {
  stack = await createTestStack(
    { OWNER_TIMEZONE: ZONE, HEARTBEAT_INTERVAL_MINUTES: '60', HEARTBEAT_QUIET_HOURS: '22-8' },
    { timeSkipping: true },
  );
  chat = new CommandChat(stack);
  stack.claude.script = chat.script((request) => {
    if (!isHeartbeat(request)) return undefined;
    const facts = (request.body.messages[0].content as string).split('\n').filter((l) => l.startsWith('- '));
    return {
      content: [{ type: 'tool_use', name: 'heartbeat_report', input: { notify: true, message: facts.join('\n') } }],
    };
  });
  await stack.db.user.create({ data: { telegramId: BigInt(stack.owner.telegramId), firstName: 'Olga' } });
});

afterAll(async () => {
  await stack?.teardown();
});

const now = () => stack.env.currentTimeMs();
const skipTo = (ms: number) => skipServerClockTo(stack.env, ms);
/** The next instant after `afterMs` when it is `hhmm` in the owner's zone. */
const nextLocal = (hhmm: string, afterMs: number) => nextLocalTime(hhmm, afterMs, ZONE);
/** A server-clock instant as the owner would write it ("YYYY-MM-DDTHH:MM", local): tools read the real clock, workflows the skipped one. */
function localStamp(ms: number): string {
  const hhmm = new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
  return `${localDateInZone(ms, ZONE)}T${hhmm}`;
}
const bellsTo = () => stack.telegram.messagesTo(stack.owner.telegramId).filter((m) => m.text.startsWith('🔔'));
const remindersTo = () => stack.telegram.messagesTo(stack.owner.telegramId).filter((m) => m.text.startsWith('⏰'));

const ownerSays = (text: string, tool: string, input: Record<string, unknown>) =>
  chat.says(stack.owner, text, tool, input);

async function contactWithTask(title: string, dueAt: number) {
  const contact = stack.newContact('Nina');
  await stack.db.user.create({ data: { telegramId: BigInt(contact.telegramId), firstName: 'Nina' } });
  return stack.db.task.create({
    data: {
      title,
      dueAt: new Date(dueAt),
      assigneeId: BigInt(contact.telegramId),
      creatorId: BigInt(stack.owner.telegramId),
    },
  });
}

describe('heartbeat', () => {
  it('stays silent and skips Claude on empty beats, tells the owner of an overdue task once, and keeps quiet hours', async () => {
    await stack.run(async () => {
      await ensureHeartbeat(stack.env.client, stack.config);
      const handle = stack.env.client.workflow.getHandle(heartbeatWorkflowId(stack.owner.telegramId));
      const morning = nextLocal('09:00', await now());
      await skipTo(morning + 5 * 60_000);
      const quiet = await handle.query(heartbeatStatusQuery);
      expect(quiet.beats).toBeGreaterThan(0);
      expect(quiet.checks).toBe(0);
      expect(heartbeatCalls()).toHaveLength(0);
      expect(bellsTo()).toHaveLength(0);

      // Due at 11:00 local: the first beat after that tells the owner, once.
      const task = await contactWithTask('Send the contract', morning + 2 * HOUR);
      await skipTo(morning + 4 * HOUR);
      const [bell] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1, 0).then(() => waitForBells(1));
      expect(bell!.text).toContain('Task "Send the contract" for Nina was due');
      expect((await stack.db.task.findUniqueOrThrow({ where: { id: task.id } })).overdueNotifiedAt).not.toBeNull();
      await skipTo(morning + 8 * HOUR);
      expect(bellsTo()).toHaveLength(1);
      expect(heartbeatCalls()).toHaveLength(1);

      // Due at 23:00 local, inside quiet hours (22–8): nothing until the morning.
      await contactWithTask('Sign the lease', morning + 14 * HOUR);
      await skipTo(morning + 22.5 * HOUR); // 07:30 next day
      expect(bellsTo()).toHaveLength(1);
      const night = await handle.query(heartbeatStatusQuery);
      expect(hourInZone(Date.parse(night.lastBeatAt!), ZONE)).toBeLessThan(22);
      expect(hourInZone(Date.parse(night.lastBeatAt!), ZONE)).toBeGreaterThanOrEqual(21);
      await skipTo(morning + 24.5 * HOUR);
      const [, second] = await waitForBells(2);
      expect(second!.text).toContain('Sign the lease');
      const after = await handle.query(heartbeatStatusQuery);
      expect(after.notifications).toBe(2);
      // The morning's first beat, at 08:00 local, carried it.
      expect(hourInZone(Date.parse(after.lastBeatAt!), ZONE)).toBeGreaterThanOrEqual(8);
      expect(heartbeatCalls()).toHaveLength(2);
      // The history so far replays on today's code, and is kept for tests/replay.test.ts.
      const history = await handle.fetchHistory();
      if (process.env.RECORD_HISTORIES === '1') {
        writeFileSync(join(REPO_ROOT, 'tests', 'histories', 'heartbeat.json'), historyToJSON(history));
      }
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
        history,
      );

      // A week of quiet beats later the workflow has continued as new (100 beats per run),
      // carrying its counters, and has still told the owner nothing more.
      const firstRun = (await handle.describe()).runId;
      await skipTo(morning + 8 * 24 * HOUR);
      const later = await handle.query(heartbeatStatusQuery);
      expect((await handle.describe()).runId).not.toBe(firstRun);
      expect(later.beats).toBeGreaterThan(100);
      expect(later.notifications).toBe(2);
      expect(bellsTo()).toHaveLength(2);
      expect(heartbeatCalls()).toHaveLength(2);
      await handle.terminate('test done');
    });
  }, 240_000);
});

async function waitForBells(count: number) {
  for (let i = 0; i < 300 && bellsTo().length < count; i++) await new Promise((r) => setTimeout(r, 100));
  return bellsTo();
}

describe('one-off reminders', () => {
  it('fires at 09:00 local on the day daylight saving starts', async () => {
    await stack.run(async () => {
      const confirmation = await ownerSays('remind me to call mom on 28 March at 9', 'set_reminder', {
        text: 'call mom',
        at: '2027-03-28T09:00',
      });
      expect(confirmation).toMatch(/set for Sun, 28 Mar 2027, 09:00 \(Europe\/Berlin\), in \d+ days: "call mom"/);
      const reminder = await stack.db.reminder.findFirstOrThrow({ where: { text: 'call mom' } });
      // 09:00 CEST is 07:00 UTC (the clocks went forward at 02:00 that night).
      expect(reminder.fireAt!.toISOString()).toBe('2027-03-28T07:00:00.000Z');
      const since = remindersTo().length;
      await skipTo(reminder.fireAt!.getTime() + 60_000);
      await waitFor(() => remindersTo().length > since);
      expect(remindersTo().at(-1)!.text).toBe('⏰ Reminder: call mom');
      const fired = await stack.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
      expect(fired.status).toBe('delivered');
      expect(Math.abs(fired.lastFiredAt!.getTime() - Date.parse('2027-03-28T07:00:00Z'))).toBeLessThan(60_000);
    });
  });

  it('a cancelled reminder never fires', async () => {
    await stack.run(async () => {
      await ownerSays('remind me about the gym in 2 hours', 'set_reminder', {
        text: 'gym',
        at: localStamp((await now()) + 2 * HOUR),
      });
      const reminder = await stack.db.reminder.findFirstOrThrow({ where: { text: 'gym' } });
      const cancelled = await ownerSays('no gym today', 'cancel_reminder', { id: reminder.id });
      expect(cancelled).toContain('Cancelled reminder');
      const before = remindersTo().length;
      await skipTo((await now()) + 3 * HOUR);
      const description = await stack.env.client.workflow.getHandle(reminderWorkflowId(reminder.id)).describe();
      expect(description.status.name).toBe('CANCELLED');
      expect(remindersTo()).toHaveLength(before);
    });
  });
});

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 100));
  expect(check()).toBe(true);
}
