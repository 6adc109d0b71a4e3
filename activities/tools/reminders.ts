// The owner's scheduler: one-off reminders ("remind me tomorrow at 9"), recurring ones
// ("every weekday at 9 send me my agenda", a Temporal Schedule), listed and cancelled.
// Times are the owner's local time and are confirmed back in words.
import { z } from 'zod';
import { describeRecurrence, nextOccurrences } from '../../pure/recurrence.ts';
import type { WeeklyRecurrence } from '../../pure/recurrence.ts';
import { formatInZone, localDateInZone } from '../../pure/time-zones.ts';
import type { Reminder } from '../../generated/prisma/client.ts';
import { rowIdFor } from './call-ids.ts';
import { parseLocalTime } from './local-times.ts';
import { defineTool, ToolRefusal } from './types.ts';
import type { ToolContext } from './types.ts';

const MAX_ACTIVE_REMINDERS = 200;
const DAY_CODES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** "tomorrow, Sun 22 Nov 2026, 09:00 (Europe/Moscow), in 23 h 5 min" */
export function whenInWords(at: Date, now: Date, timeZone: string): string {
  const day = localDateInZone(at.getTime(), timeZone);
  const today = localDateInZone(now.getTime(), timeZone);
  const tomorrow = localDateInZone(now.getTime() + 24 * 3600_000, timeZone);
  const prefix = day === today ? 'today, ' : day === tomorrow ? 'tomorrow, ' : '';
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const inWords =
    minutes < 60
      ? `in ${minutes} min`
      : minutes < 48 * 60
        ? `in ${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`
        : `in ${Math.round(minutes / 1440)} days`;
  return `${prefix}${formatInZone(at, timeZone)}, ${inWords}`;
}

function recurrenceOf(r: Reminder): WeeklyRecurrence {
  return { weekdays: r.weekdays, time: r.timeOfDay ?? '09:00', timeZone: r.timeZone };
}

/** A new reminder row, if the owner has room for one more. */
async function newReminder(
  ctx: ToolContext,
  what: { text: string; by_assistant?: boolean },
  when: { kind: 'once' | 'recurring'; timeZone: string; fireAt?: Date; weekdays?: number[]; timeOfDay?: string },
) {
  // Keyed by the tool call: a retried call finds the reminder it made.
  const id = rowIdFor('reminder', ctx.callId);
  const made = await ctx.db.reminder.findUnique({ where: { id } });
  if (made) return made;
  const active = await ctx.db.reminder.count({
    where: { ownerId: BigInt(ctx.caller.telegramId), status: 'scheduled' },
  });
  if (active >= MAX_ACTIVE_REMINDERS) {
    throw new ToolRefusal(`There are already ${active} active reminders; cancel some first.`);
  }
  return ctx.db.reminder.upsert({
    where: { id },
    update: {},
    create: {
      id,
      ownerId: BigInt(ctx.caller.telegramId),
      text: what.text,
      byAssistant: what.by_assistant ?? false,
      ...when,
    },
  });
}

const byAssistant = z
  .boolean()
  .optional()
  .describe(
    'True when the assistant should do something at that time (e.g. "send me my agenda"); false to just send the text',
  );

export const setReminder = defineTool({
  name: 'set_reminder',
  description:
    "Remind the owner once: at a local date and time (the owner's time zone; work the date out from today's date in the system prompt), or in some minutes.",
  roles: ['owner'],
  input: z.object({
    text: z.string().trim().min(1).max(2000).describe('What to remind about, as the owner should read it'),
    at: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'use YYYY-MM-DDTHH:MM (local time, no offset)')
      .optional()
      .describe("When, in the owner's local time"),
    in_minutes: z
      .number()
      .int()
      .min(1)
      .max(366 * 24 * 60)
      .optional()
      .describe('Instead of `at`, for "in 2 hours" and the like'),
    by_assistant: byAssistant,
  }),
  async run(ctx, input) {
    const zone = ctx.config.ownerTimeZone;
    const now = new Date();
    if (!input.at === !input.in_minutes) return 'Give either `at` (local date and time) or `in_minutes`.';
    const fireAt = input.at ? parseLocalTime(input.at, zone) : new Date(now.getTime() + input.in_minutes! * 60_000);
    if (fireAt.getTime() <= now.getTime()) {
      return `${formatInZone(fireAt, zone)} has already passed (it is now ${formatInZone(now, zone)}). Ask for a time in the future.`;
    }
    const reminder = await newReminder(ctx, input, { kind: 'once', fireAt, timeZone: zone });
    await ctx.reminders.startOneOff({ id: reminder.id, fireAt, text: input.text, timeZone: zone });
    return `Reminder ${reminder.id} set for ${whenInWords(fireAt, now, zone)}: "${input.text}".`;
  },
});

export const scheduleRecurring = defineTool({
  name: 'schedule_recurring',
  description:
    "A recurring reminder or job on days of the week at a local time (the owner's time zone), e.g. every weekday at 09:00.",
  roles: ['owner'],
  input: z.object({
    text: z.string().trim().min(1).max(2000),
    days: z
      .array(z.enum([...DAY_CODES, 'weekdays', 'weekends', 'daily']))
      .min(1)
      .describe('Days of the week: mon..sun, or weekdays / weekends / daily'),
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24-hour, local time)'),
    starting: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .optional()
      .describe('First day it may run (local date); today by default'),
    by_assistant: byAssistant,
  }),
  async run(ctx, input) {
    const weekdays = new Set<number>();
    for (const d of input.days) {
      if (d === 'daily') [0, 1, 2, 3, 4, 5, 6].forEach((x) => weekdays.add(x));
      else if (d === 'weekdays') [1, 2, 3, 4, 5].forEach((x) => weekdays.add(x));
      else if (d === 'weekends') [0, 6].forEach((x) => weekdays.add(x));
      else weekdays.add(DAY_CODES.indexOf(d));
    }
    const recurrence: WeeklyRecurrence = {
      weekdays: [...weekdays].sort((a, b) => a - b),
      time: input.time,
      timeZone: ctx.config.ownerTimeZone,
    };
    const reminder = await newReminder(ctx, input, {
      kind: 'recurring',
      weekdays: recurrence.weekdays,
      timeOfDay: recurrence.time,
      timeZone: recurrence.timeZone,
    });
    const startAt = input.starting ? parseLocalTime(input.starting, recurrence.timeZone) : undefined;
    await ctx.reminders.createRecurring({ id: reminder.id, text: input.text, recurrence, startAt });
    const [next] = nextOccurrences(recurrence, Math.max(Date.now(), (startAt?.getTime() ?? 0) - 1), 1);
    return `Recurring reminder ${reminder.id}: ${describeRecurrence(recurrence)} (${recurrence.timeZone}): "${input.text}". First run ${whenInWords(next!, new Date(), recurrence.timeZone)}.`;
  },
});

export const listReminders = defineTool({
  name: 'list_reminders',
  description: "The owner's active reminders and recurring jobs, with their next time.",
  roles: ['owner'],
  input: z.object({}),
  async run(ctx) {
    const reminders = await ctx.db.reminder.findMany({
      where: { ownerId: BigInt(ctx.caller.telegramId), status: 'scheduled' },
      orderBy: { createdAt: 'asc' },
    });
    if (reminders.length === 0) return 'No active reminders.';
    const now = new Date();
    const lines = await Promise.all(
      reminders.map(async (r) => {
        if (r.kind === 'once') return `- ${r.id}: once, ${whenInWords(r.fireAt!, now, r.timeZone)} — "${r.text}"`;
        // The schedule's own next run (it knows a start date); the rule itself if the server cannot say.
        const next =
          (await ctx.reminders.nextRuns(r.id).catch(() => undefined))?.[0] ??
          nextOccurrences(recurrenceOf(r), now.getTime(), 1)[0];
        return `- ${r.id}: ${describeRecurrence(recurrenceOf(r))} (${r.timeZone}), next ${next ? formatInZone(next, r.timeZone) : 'never'}, ran ${r.runs} time${r.runs === 1 ? '' : 's'} — "${r.text}"`;
      }),
    );
    return lines.join('\n');
  },
});

export const cancelReminder = defineTool({
  name: 'cancel_reminder',
  description: 'Cancel a reminder or recurring job by id (from list_reminders).',
  roles: ['owner'],
  input: z.object({ id: z.string().min(1) }),
  async run(ctx, { id }) {
    const reminder = await ctx.db.reminder.findUnique({ where: { id } });
    if (!reminder || Number(reminder.ownerId) !== ctx.caller.telegramId)
      throw new ToolRefusal(`There is no reminder ${id}.`);
    if (reminder.status !== 'scheduled') return `Reminder ${id} is already ${reminder.status}.`;
    // The row first: a run that starts meanwhile sees "cancelled" and stays silent.
    await ctx.db.reminder.update({ where: { id }, data: { status: 'cancelled' } });
    if (reminder.kind === 'once') await ctx.reminders.cancelOneOff(id);
    else await ctx.reminders.deleteRecurring(id);
    return `Cancelled reminder ${id} ("${reminder.text}").`;
  },
});
