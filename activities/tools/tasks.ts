// Tasks the owner gives people. The owner creates, lists, changes and cancels them;
// a contact sees and updates only their own (the checks are here, on the data, not in
// the prompt). The contact is told about a new or cancelled task in their chat, and the
// owner hears when a contact changes a task's status.
import { z } from 'zod';
import type { Db } from '../../infra/db.ts';
import { nameOf } from '../person-name.ts';
import { displayNameOf } from '../../pure/people.ts';
import { formatInZone } from '../../pure/time-zones.ts';
import type { Task, TaskStatus, User } from '../../generated/prisma/client.ts';
import { rowIdFor } from './call-ids.ts';
import { parseLocalTime } from './local-times.ts';
import { onePerson } from './people.ts';
import { reachablePerson } from './reach-person.ts';
import { defineTool, ToolRefusal } from './types.ts';
import type { ToolContext } from './types.ts';

const OPEN: TaskStatus[] = ['open', 'in_progress'];

const dueText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'use YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time, no offset)')
  .describe("Due date in the owner's local time: YYYY-MM-DD (end of that day) or YYYY-MM-DDTHH:MM");

/** A due date in the owner's words, as an instant: a bare date means the end of that day. */
export function parseDue(text: string, timeZone: string): Date {
  return parseLocalTime(text, timeZone, '23:59');
}

export function isOverdue(task: Pick<Task, 'status' | 'dueAt'>, now: Date): boolean {
  return OPEN.includes(task.status) && task.dueAt !== null && task.dueAt < now;
}

/** Open tasks past their due time; `unreported` leaves out those the owner was already told about. */
export function overdueTasks(db: Db, ownerId: number, now: Date, unreported = false) {
  return db.task.findMany({
    where: {
      creatorId: BigInt(ownerId),
      status: { in: OPEN },
      dueAt: { lt: now },
      ...(unreported && { overdueNotifiedAt: null }),
    },
    include: { assignee: true },
    orderBy: { dueAt: 'asc' },
  });
}

function taskLine(task: Task & { assignee?: User }, timeZone: string, now: Date): string {
  const who = task.assignee ? ` — ${displayNameOf(task.assignee, `id ${task.assigneeId}`)}` : '';
  const due = task.dueAt ? `, due ${formatInZone(task.dueAt, timeZone)}` : '';
  const overdue = isOverdue(task, now) ? ' — OVERDUE' : '';
  return `- ${task.id}: "${task.title}"${who} [${task.status}${due}]${overdue}`;
}

function ownerName(ctx: ToolContext): Promise<string> {
  return nameOf(ctx.db, ctx.config.ownerTelegramId, 'the owner', { withUsername: false });
}

async function tellAssignee(ctx: ToolContext, assignee: User, noticeKey: string, text: string) {
  const from = await ownerName(ctx);
  await ctx.notifyPerson(
    { telegramId: Number(assignee.telegramId), displayName: displayNameOf(assignee, `id ${assignee.telegramId}`) },
    {
      noticeId: `${ctx.callId}/${noticeKey}`,
      fromTelegramId: ctx.config.ownerTelegramId,
      fromName: from,
      text,
      display: `📋 ${text}`,
    },
  );
}

async function ownersTask(ctx: ToolContext, id: string) {
  const task = await ctx.db.task.findUnique({ where: { id }, include: { assignee: true } });
  if (!task || Number(task.creatorId) !== ctx.caller.telegramId) throw new ToolRefusal(`There is no task ${id}.`);
  return task;
}

export const createTask = defineTool({
  name: 'create_task',
  description:
    "Give a person a task (title, optional description and due date in the owner's time zone). They are told in their chat at once.",
  roles: ['owner'],
  input: z.object({
    person: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .describe('@username, phone number (+…), Telegram id, or name; they need not have written before'),
    title: z.string().trim().min(1).max(300),
    description: z.string().trim().max(4000).optional(),
    due: dueText.optional(),
  }),
  async run(ctx, input) {
    const { db, config, caller } = ctx;
    const assignee = await reachablePerson(ctx, input.person);
    const dueAt = input.due ? parseDue(input.due, config.ownerTimeZone) : null;
    // Keyed by the tool call: a retried call finds the task it created (and the notice
    // to the assignee carries the same id, so it is shown once).
    const id = rowIdFor('task', ctx.callId);
    const task = await db.task.upsert({
      where: { id },
      update: {},
      create: {
        id,
        title: input.title,
        description: input.description,
        dueAt,
        assigneeId: assignee.telegramId,
        creatorId: BigInt(caller.telegramId),
      },
    });
    const zone = assignee.timeZone ?? config.ownerTimeZone;
    const from = await ownerName(ctx);
    await tellAssignee(
      ctx,
      assignee,
      'new-task',
      `New task from ${from}: "${task.title}"${task.description ? `\n${task.description}` : ''}${
        dueAt ? `\nDue: ${formatInZone(dueAt, zone)}` : ''
      }\nTell me here when you start or finish it.`,
    );
    return `Created task ${task.id} for ${displayNameOf(assignee, `id ${assignee.telegramId}`)}${
      dueAt ? `, due ${formatInZone(dueAt, config.ownerTimeZone)}` : ''
    }; they have been told.`;
  },
});

export const listTasks = defineTool({
  name: 'list_tasks',
  description: 'List the tasks the owner gave people, optionally for one person, by status, or only overdue ones.',
  roles: ['owner'],
  input: z.object({
    person: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['open', 'in_progress', 'done', 'cancelled']).optional(),
    overdue_only: z.boolean().optional(),
  }),
  async run({ db, config, caller }, input) {
    const now = new Date();
    const assignee = input.person ? await onePerson(db, input.person, config.ownerTelegramId) : undefined;
    const tasks = input.overdue_only
      ? await overdueTasks(db, caller.telegramId, now)
      : await db.task.findMany({
          where: {
            creatorId: BigInt(caller.telegramId),
            ...(assignee && { assigneeId: assignee.telegramId }),
            ...(input.status ? { status: input.status } : { status: { in: OPEN } }),
          },
          include: { assignee: true },
          orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }],
          take: 50,
        });
    const shown = assignee ? tasks.filter((t) => t.assigneeId === assignee.telegramId) : tasks;
    if (shown.length === 0) return 'No tasks match.';
    return shown.map((t) => taskLine(t, config.ownerTimeZone, now)).join('\n');
  },
});

export const updateTask = defineTool({
  name: 'update_task',
  description: "Change a task's title, description, due date or status.",
  roles: ['owner'],
  input: z.object({
    task_id: z.string().min(1),
    title: z.string().trim().min(1).max(300).optional(),
    description: z.string().trim().max(4000).optional(),
    due: dueText.optional(),
    status: z.enum(['open', 'in_progress', 'done']).optional(),
  }),
  async run(ctx, input) {
    const task = await ownersTask(ctx, input.task_id);
    if (task.status === 'cancelled') return `Task ${task.id} is cancelled; create a new one instead.`;
    const dueAt = input.due ? parseDue(input.due, ctx.config.ownerTimeZone) : undefined;
    const updated = await ctx.db.task.update({
      where: { id: task.id },
      data: {
        title: input.title,
        description: input.description,
        status: input.status,
        // A new due date is a new chance to be on time: the overdue notice may come again.
        ...(dueAt && { dueAt, overdueNotifiedAt: null }),
      },
      include: { assignee: true },
    });
    if (dueAt) {
      const zone = updated.assignee.timeZone ?? ctx.config.ownerTimeZone;
      await tellAssignee(
        ctx,
        updated.assignee,
        'due-changed',
        `The task "${updated.title}" is now due ${formatInZone(dueAt, zone)}.`,
      );
    }
    return `Updated:\n${taskLine(updated, ctx.config.ownerTimeZone, new Date())}`;
  },
});

export const cancelTask = defineTool({
  name: 'cancel_task',
  description: 'Cancel a task; the person is told it is no longer needed.',
  roles: ['owner'],
  input: z.object({ task_id: z.string().min(1) }),
  async run(ctx, { task_id }) {
    const task = await ownersTask(ctx, task_id);
    if (task.status === 'cancelled' || task.status === 'done') return `Task ${task.id} is already ${task.status}.`;
    await ctx.db.task.update({ where: { id: task.id }, data: { status: 'cancelled' } });
    await tellAssignee(ctx, task.assignee, 'cancelled', `The task "${task.title}" is cancelled; no need to do it.`);
    return `Cancelled task ${task.id} ("${task.title}"); ${displayNameOf(task.assignee, 'the person')} has been told.`;
  },
});

// ---- A contact's own tasks ----

export const getMyTasks = defineTool({
  name: 'get_my_tasks',
  description: 'The tasks the owner gave the person you are talking to (theirs only).',
  roles: ['external'],
  input: z.object({ include_finished: z.boolean().optional() }),
  async run({ db, caller, config }, { include_finished }) {
    const person = await db.user.findUnique({ where: { telegramId: BigInt(caller.telegramId) } });
    const tasks = await db.task.findMany({
      where: { assigneeId: BigInt(caller.telegramId), ...(!include_finished && { status: { in: OPEN } }) },
      orderBy: [{ dueAt: 'asc' }, { createdAt: 'asc' }],
      take: 50,
    });
    if (tasks.length === 0) return 'You have no open tasks.';
    const zone = person?.timeZone ?? config.ownerTimeZone;
    return tasks
      .map((t) => `${taskLine(t, zone, new Date())}${t.description ? `\n  ${t.description.slice(0, 300)}` : ''}`)
      .join('\n');
  },
});

export const updateTaskStatus = defineTool({
  name: 'update_task_status',
  description:
    'Record that the person started or finished one of their own tasks (by task id from get_my_tasks). The owner is told.',
  roles: ['external'],
  input: z.object({
    task_id: z.string().min(1),
    status: z.enum(['in_progress', 'done']),
    comment: z.string().trim().max(2000).optional(),
  }),
  async run({ db, caller, callId, notifyOwner }, { task_id, status, comment }) {
    const task = await db.task.findUnique({ where: { id: task_id } });
    // Someone else's task and no task at all look the same: nothing about others leaks.
    if (!task || Number(task.assigneeId) !== caller.telegramId) {
      throw new ToolRefusal(`${caller.displayName} has no task ${task_id}.`);
    }
    if (task.status === 'cancelled') return 'That task was cancelled; nothing to update.';
    if (task.status === status) return `The task is already ${status.replace('_', ' ')}.`;
    await db.task.update({ where: { id: task.id }, data: { status } });
    await notifyOwner({
      noticeId: callId,
      fromTelegramId: caller.telegramId,
      fromName: caller.displayName,
      text: `Task "${task.title}" is now ${status === 'done' ? 'done' : 'in progress'}.${comment ? ` Comment: ${comment}` : ''}`,
    });
    return `Recorded: "${task.title}" is ${status === 'done' ? 'done' : 'in progress'}; the owner has been told.`;
  },
});
