// People, tasks and recurring reminders through the real path: gateway → session →
// scripted Claude → tool activities → PostgreSQL, Temporal Schedules on the dev server.
import { ScheduleNotFoundError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReminderActivities } from '../activities/reminders.ts';
import { ReminderScheduler } from '../clients/reminder-scheduler.ts';
import { recurringScheduleId, reminderWorkflowId } from '../contracts/reminder.ts';
import { CommandChat } from './support/command-world.ts';
import { endsWithToolResult } from './support/negotiation-world.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import type { InboundSender } from '../gateway/core.ts';
import { waitUntil } from './support/wait.ts';

const ZONE = 'Europe/Berlin';
let stack: TestStack;
let chat: CommandChat;

beforeAll(async () => {
  stack = await createTestStack({ OWNER_TIMEZONE: ZONE, REMINDER_LATE_AFTER_SECONDS: '2' });
  chat = new CommandChat(stack);
  stack.claude.script = chat.script((request) =>
    lastUserTexts(request).some((t) => t.startsWith('[Scheduled job')) && !endsWithToolResult(request)
      ? say(`Your agenda for today: nothing booked. (${lastUserTexts(request).at(-1)})`)
      : undefined,
  );
});

afterAll(async () => {
  await stack?.teardown();
});

const says = (from: InboundSender, text: string, tool?: string, input?: Record<string, unknown>) =>
  chat.says(from, text, tool, input);

async function person(firstName: string, lastName: string, username?: string) {
  const contact = stack.newContact('P');
  await stack.db.user.create({
    data: { telegramId: BigInt(contact.telegramId), firstName, lastName, username: username ?? null },
  });
  return { ...contact, firstName, username: username ?? '' };
}

describe('people', () => {
  it('finds a person by a transliterated name, and lists candidates instead of guessing', async () => {
    const ivanC = await person('Иван', 'Ферапонтов');
    const ivanZ = await person('Ivan', 'Zaborovsky');
    await stack.run(async () => {
      const found = await says(stack.owner, 'who is Ferapontov?', 'find_person', { query: 'Ferapontov' });
      expect(found).toContain(`Found: Иван Ферапонтов — id ${ivanC.telegramId}`);

      const both = await says(stack.owner, 'find Ivan', 'find_person', { query: 'Ivan' });
      expect(both).toMatch(/Several people match "Ivan"/);
      expect(both).toContain('Иван Ферапонтов');
      expect(both).toContain('Ivan Zaborovsky');

      // A tool that acts on one person does not act on a guess.
      const asked = await says(stack.owner, 'note: Ivan likes tea', 'set_person_notes', {
        person: 'Ivan',
        notes: 'likes tea',
      });
      expect(asked).toMatch(/Several people match/);
      const noted = await says(stack.owner, 'note: Ivan F likes tea', 'set_person_notes', {
        person: 'Иван Ферапонтов',
        notes: 'likes tea',
      });
      expect(noted).toContain('updated');
      const zoned = await says(stack.owner, 'Ivan F is in Tokyo', 'set_person_timezone', {
        person: 'Ivan Ferapontov',
        time_zone: 'Asia/Tokyo',
      });
      expect(zoned).toContain('Asia/Tokyo');
      expect(await says(stack.owner, 'block Ivan', 'set_contact_blocked', { person: 'Ivan', blocked: true })).toMatch(
        /Several people match/,
      );
      expect(
        await says(stack.owner, 'block Заборовский', 'set_contact_blocked', { person: 'Заборовский', blocked: true }),
      ).toBe('Ivan Zaborovsky is now blocked.');
    });
    expect((await stack.db.user.findUniqueOrThrow({ where: { telegramId: BigInt(ivanZ.telegramId) } })).blocked).toBe(
      true,
    );
    expect((await stack.db.user.findUniqueOrThrow({ where: { telegramId: BigInt(ivanC.telegramId) } })).blocked).toBe(
      false,
    );
    const row = await stack.db.user.findUniqueOrThrow({ where: { telegramId: BigInt(ivanC.telegramId) } });
    expect(row).toMatchObject({ notes: 'likes tea', timeZone: 'Asia/Tokyo' });
  });
});

describe('tasks', () => {
  it('tells the contact about a new task; a contact sees and changes only their own tasks; the owner hears of progress', async () => {
    const kate = await person('Kate', 'Wojcik', `kate_${Date.now()}`);
    const leo = await person('Leo', 'Brandt', `leo_${Date.now()}`);
    await stack.run(async () => {
      const created = await says(stack.owner, 'task for Kate: slides by Friday', 'create_task', {
        person: `@${kate.username}`,
        title: 'Prepare the Q4 slides',
        due: '2026-11-27',
      });
      expect(created).toMatch(
        /Created task .* for Kate Wojcik .*due Fri, 27 Nov 2026, 23:59 \(Europe\/Berlin\); they have been told/,
      );
      const [told] = await stack.telegram.waitForMessages(kate.telegramId, 1);
      expect(told!.text).toContain('📋 New task from Olga: "Prepare the Q4 slides"');
      await says(stack.owner, 'task for Leo: book rooms', 'create_task', {
        person: `@${leo.username}`,
        title: 'Book the rooms',
      });
      await stack.telegram.waitForMessages(leo.telegramId, 1);

      const kateTask = await stack.db.task.findFirstOrThrow({ where: { assigneeId: BigInt(kate.telegramId) } });
      const leoTask = await stack.db.task.findFirstOrThrow({ where: { assigneeId: BigInt(leo.telegramId) } });

      const mine = await says(kate, 'what are my tasks?', 'get_my_tasks');
      expect(mine).toContain('Prepare the Q4 slides');
      expect(mine).not.toContain('Book the rooms');

      // Kate's model is talked into closing Leo's task: refused, nothing changes.
      const refused = await says(kate, "mark Leo's task done", 'update_task_status', {
        task_id: leoTask.id,
        status: 'done',
      });
      expect(refused).toMatch(/^Refused/);
      expect((await stack.db.task.findUniqueOrThrow({ where: { id: leoTask.id } })).status).toBe('open');
      const audit = await stack.db.toolCall.findFirstOrThrow({
        where: { telegramId: BigInt(kate.telegramId), tool: 'update_task_status' },
      });
      expect(audit.outcome).toBe('refused');

      const ownerSince = stack.telegram.messagesTo(stack.owner.telegramId).length;
      const done = await says(kate, 'I finished the slides', 'update_task_status', {
        task_id: kateTask.id,
        status: 'done',
      });
      expect(done).toContain('the owner has been told');
      const [news] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1, ownerSince);
      expect(news!.text).toContain('Task "Prepare the Q4 slides" is now done.');

      const open = await says(stack.owner, 'open tasks?', 'list_tasks', {});
      expect(open).toContain('Book the rooms');
      expect(open).not.toContain('Prepare the Q4 slides');

      const cancelled = await says(stack.owner, 'cancel the rooms', 'cancel_task', { task_id: leoTask.id });
      expect(cancelled).toContain('Cancelled task');
      const [leoTold] = await stack.telegram.waitForMessages(leo.telegramId, 1, 1);
      expect(leoTold!.text).toContain('is cancelled');
    });
    // Contacts were offered their task tools, never the owner's.
    const kateRequest = stack.claude.requests.find((r) => lastUserTexts(r).includes('what are my tasks?'))!;
    expect(kateRequest.body.tools.map((t: { name: string }) => t.name).sort()).toEqual([
      'get_my_tasks',
      'send_summary_to_owner',
      'update_task_status',
    ]);
  });
});

describe('recurring reminders (Temporal Schedules)', () => {
  it('schedules "every weekday at 9", keeps 09:00 local across a daylight-saving change, runs the job, and cancels', async () => {
    await stack.run(async () => {
      const confirmed = await says(stack.owner, 'every weekday at 9 send me my agenda', 'schedule_recurring', {
        text: 'send me my agenda',
        days: ['weekdays'],
        time: '09:00',
        starting: '2027-03-25',
        by_assistant: true,
      });
      expect(confirmed).toMatch(
        /every weekday \(Monday to Friday\) at 09:00 \(Europe\/Berlin\): "send me my agenda"\. First run Thu, 25 Mar 2027, 09:00 \(Europe\/Berlin\)/,
      );
      const reminder = await stack.db.reminder.findFirstOrThrow({
        where: { ownerId: BigInt(stack.owner.telegramId), kind: 'recurring' },
      });
      const handle = stack.env.client.schedule.getHandle(recurringScheduleId(reminder.id));
      // The server's own calendar: 09:00 CET (08:00 UTC), then 09:00 CEST (07:00 UTC) from 29 March.
      const next = (await handle.describe()).info.nextActionTimes.slice(0, 4).map((d) => d.toISOString());
      expect(next).toEqual([
        '2027-03-25T08:00:00.000Z',
        '2027-03-26T08:00:00.000Z',
        '2027-03-29T07:00:00.000Z',
        '2027-03-30T07:00:00.000Z',
      ]);

      // A run: the owner's assistant does the job and writes the result.
      const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
      await handle.trigger();
      const [agenda] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1, since);
      expect(agenda!.text).toContain('Your agenda for today');
      await waitUntil(
        async () => (await stack.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).runs === 1,
        'run recorded',
      );

      const listed = await says(stack.owner, 'my reminders?', 'list_reminders');
      expect(listed).toContain(
        `${reminder.id}: every weekday (Monday to Friday) at 09:00 (Europe/Berlin), next Thu, 25 Mar 2027, 09:00 (Europe/Berlin), ran 1 time`,
      );

      const cancelled = await says(stack.owner, 'stop the agenda', 'cancel_reminder', { id: reminder.id });
      expect(cancelled).toContain('Cancelled reminder');
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    });
  });

  it('missed-run policy: a run that comes late says when it was due and how many runs it skipped', async () => {
    const reminder = await stack.db.reminder.create({
      data: {
        ownerId: BigInt(stack.owner.telegramId),
        text: 'stand-up',
        kind: 'recurring',
        weekdays: [1, 2, 3, 4, 5],
        timeOfDay: '09:00',
        timeZone: ZONE,
      },
    });
    const { deliverReminder } = createReminderActivities({
      db: stack.db,
      sessions: stack.sessions,
      config: stack.config,
    });
    await stack.run(async () => {
      const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
      // Monday's 09:00 run reached a worker only on Wednesday at 11:00.
      const outcome = await deliverReminder({
        reminderId: reminder.id,
        dueAt: '2026-11-23T08:00:00.000Z',
        firedAt: '2026-11-25T10:00:00.000Z',
      });
      expect(outcome).toBe('late');
      const [late] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1, since);
      expect(late!.text).toBe(
        '⏰ Reminder: stand-up\n(This was due Mon, 23 Nov 2026, 09:00 (Europe/Berlin); it is late because the assistant was offline then. 2 later runs during that time were skipped.)',
      );
    });
  });

  it('missed-run policy: a one-off reminder due while no worker runs is delivered once, late, saying when it was due', async () => {
    const fireAt = new Date(Date.now() + 1500);
    const reminder = await stack.db.reminder.create({
      data: { ownerId: BigInt(stack.owner.telegramId), text: 'water the plants', kind: 'once', fireAt, timeZone: ZONE },
    });
    // No worker runs while it comes due, nor for a few seconds after.
    await new ReminderScheduler(stack.env.client, stack.config).startOneOff({
      id: reminder.id,
      fireAt,
      text: reminder.text,
    });
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
    await stack.run(async () => {
      await stack.telegram.waitForMessages(stack.owner.telegramId, 1, since);
      await stack.env.client.workflow.getHandle(reminderWorkflowId(reminder.id)).result();
    });
    const delivered = stack.telegram.messagesTo(stack.owner.telegramId).slice(since);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.text).toMatch(
      /^⏰ Reminder: water the plants\n\(This was due .* \(Europe\/Berlin\); it is late because the assistant was offline then\.\)$/,
    );
    expect(await stack.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({
      status: 'delivered',
      runs: 1,
    });
  });

  it('a recurring reminder fires on its own at its local time', async () => {
    // A few seconds ahead, in the owner's zone, on today's weekday there.
    const due = new Date(Math.ceil((Date.now() + 4000) / 1000) * 1000);
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: ZONE,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(due);
    const part = (type: string) => parts.find((p) => p.type === type)!.value;
    const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(part('weekday'));
    const time = `${part('hour')}:${part('minute')}:${part('second')}`;
    const reminder = await stack.db.reminder.create({
      data: {
        ownerId: BigInt(stack.owner.telegramId),
        text: 'stretch',
        kind: 'recurring',
        weekdays: [weekday],
        timeOfDay: time,
        timeZone: ZONE,
      },
    });
    const scheduler = new ReminderScheduler(stack.env.client, stack.config);
    await scheduler.createRecurring({
      id: reminder.id,
      text: reminder.text,
      recurrence: { weekdays: [weekday], time, timeZone: ZONE },
    });
    try {
      const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
      await stack.run(async () => {
        const [fired] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1, since);
        expect(fired!.text).toBe('⏰ Reminder: stretch');
      });
      const row = await stack.db.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
      expect(row.runs).toBe(1);
      // The run was due exactly at the local time asked for.
      const { recentActions } = (await stack.env.client.schedule.getHandle(recurringScheduleId(reminder.id)).describe())
        .info;
      expect(recentActions[0]!.scheduledAt.toISOString()).toBe(due.toISOString());
    } finally {
      await scheduler.deleteRecurring(reminder.id);
    }
  });
});
