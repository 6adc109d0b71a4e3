// The contact's side of a conversation task: report progress and pass messages to the
// owner. Offered only while a task with this contact is active, and each call may act
// only on a task of this contact's own (checked here, whatever the model claims).
import { z } from 'zod';
import { isTimeZone, zonedToUtc } from '../../pure/time-zones.ts';
import { ACTIVE_STATUSES, contactUpdateSignal } from '../../contracts/negotiation.ts';
import type { ContactUpdate } from '../../contracts/negotiation.ts';
import { defineTool, ToolRefusal } from './types.ts';
import type { ToolContext } from './types.ts';

async function ownActiveTask(ctx: ToolContext, taskId: string) {
  const task = await ctx.db.conversationTask.findUnique({ where: { id: taskId } });
  if (!task || Number(task.userId) !== ctx.caller.telegramId) {
    throw new ToolRefusal(`conversation ${taskId} is not one of this person's conversations.`);
  }
  if (!ACTIVE_STATUSES.includes(task.status))
    throw new ToolRefusal(`conversation ${taskId} is already ${task.status}.`);
  return task;
}

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'use YYYY-MM-DDTHH:MM');

export const updateConversation = defineTool({
  name: 'update_conversation',
  description:
    "Record what this person said in an active conversation task: a proposed meeting time (kind proposal, in THEIR local time and time zone), their clear confirmation of a time the owner already accepted (kind confirmed), an answer to a question (kind answered), or a refusal (kind declined). You cannot agree anything for the owner: the owner's side decides.",
  roles: ['external'],
  needsActiveConversation: true,
  input: z.object({
    task_id: z.string().min(1),
    kind: z.enum(['proposal', 'confirmed', 'answered', 'declined']),
    start: localTime.optional().describe('Meeting start, in the time zone below'),
    end: localTime.optional(),
    time_zone: z.string().optional().describe("The person's IANA time zone, e.g. Europe/Berlin"),
    note: z.string().max(2000).optional(),
  }),
  async run(ctx, input) {
    const task = await ownActiveTask(ctx, input.task_id);
    const person = await ctx.db.user.findUnique({ where: { telegramId: BigInt(ctx.caller.telegramId) } });
    const zone = input.time_zone ?? person?.timeZone ?? ctx.config.ownerTimeZone;
    if (!isTimeZone(zone)) return `Unknown time zone "${zone}": use an IANA name such as Europe/Berlin.`;
    if (input.time_zone && person && person.timeZone !== input.time_zone) {
      await ctx.db.user.update({ where: { telegramId: person.telegramId }, data: { timeZone: input.time_zone } });
    }
    const slot =
      input.start && input.end
        ? { startUtc: zonedToUtc(input.start, zone).toISOString(), endUtc: zonedToUtc(input.end, zone).toISOString() }
        : undefined;
    let update: ContactUpdate;
    switch (input.kind) {
      case 'proposal':
        if (!slot) return 'A proposal needs start and end.';
        update = { kind: 'proposal', slot, contactTimeZone: zone, note: input.note };
        break;
      case 'confirmed':
        update = { kind: 'confirmed', slot, note: input.note };
        break;
      case 'answered':
        if (!input.note) return 'An answer needs the note with what they said.';
        update = { kind: 'answered', note: input.note };
        break;
      default:
        update = { kind: 'declined', note: input.note };
    }
    await ctx.negotiations.signalNegotiation(task.id, contactUpdateSignal, update);
    return 'Recorded. The owner’s side will decide what happens next; wait for its instruction before promising anything.';
  },
});

export const notifyOwner = defineTool({
  name: 'notify_owner',
  description: 'Pass a message from this person to the owner, about an active conversation task.',
  roles: ['external'],
  needsActiveConversation: true,
  input: z.object({ task_id: z.string().min(1), message: z.string().trim().min(1).max(2000) }),
  async run(ctx, { task_id, message }) {
    const task = await ownActiveTask(ctx, task_id);
    await ctx.negotiations.signalNegotiation(task.id, contactUpdateSignal, { kind: 'info', note: message });
    return 'Passed on to the owner.';
  },
});
