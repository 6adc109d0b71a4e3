// The contact's side of a negotiation: report what they say and pass messages to the
// owner. Offered only while a negotiation with this contact is active; each call may act
// only on a negotiation with this contact (checked here, whatever the model claims), and
// the negotiation itself decides what the report means (its verdict is the tool's result).
// The tool names the model sees say "conversation", as they always have.
import { z } from 'zod';
import { isTimeZone } from '../../pure/time-zones.ts';
import { parseLocalTime } from './local-times.ts';
import type { ContactReport } from '../../contracts/negotiation.ts';
import { answerWith } from './negotiation-verdict.ts';
import { defineTool, ToolRefusal } from './types.ts';
import type { ToolContext } from './types.ts';

/** A negotiation with this contact (or one they are a guest of); who it is with never changes, so the rows can say. */
async function ownNegotiation(ctx: ToolContext, taskId: string) {
  const negotiation = await ctx.db.negotiation.findUnique({
    where: { id: taskId },
    include: { guests: { where: { contactId: BigInt(ctx.caller.telegramId) } } },
  });
  const theirs =
    negotiation && (Number(negotiation.contactId) === ctx.caller.telegramId || negotiation.guests.length > 0);
  if (!negotiation || !theirs) {
    throw new ToolRefusal(`conversation ${taskId} is not one of this person's conversations.`);
  }
  return negotiation;
}

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'use YYYY-MM-DDTHH:MM');

export const updateConversation = defineTool({
  name: 'update_conversation',
  description:
    "Record what this person said in an active conversation task: a proposed meeting time (kind proposal, in THEIR local time and time zone), their clear confirmation of a time the owner already accepted (kind confirmed), an answer to a question (kind answered), or a refusal (kind declined). You cannot agree anything for the owner: the owner's side decides.",
  roles: ['external'],
  needsActiveNegotiation: true,
  input: z.object({
    task_id: z.string().min(1),
    kind: z.enum(['proposal', 'confirmed', 'answered', 'declined']),
    start: localTime.optional().describe('Meeting start, in the time zone below'),
    end: localTime.optional(),
    time_zone: z.string().optional().describe("The person's IANA time zone, e.g. Europe/Berlin"),
    note: z.string().max(2000).optional(),
  }),
  async run(ctx, input) {
    const negotiation = await ownNegotiation(ctx, input.task_id);
    const person = await ctx.db.user.findUnique({ where: { telegramId: BigInt(ctx.caller.telegramId) } });
    const zone = input.time_zone ?? person?.timeZone ?? ctx.config.ownerTimeZone;
    if (!isTimeZone(zone)) return `Unknown time zone "${zone}": use an IANA name such as Europe/Berlin.`;
    if (input.time_zone && person && person.timeZone !== input.time_zone) {
      await ctx.db.user.update({ where: { telegramId: person.telegramId }, data: { timeZone: input.time_zone } });
    }
    const slot =
      input.start && input.end
        ? {
            startUtc: parseLocalTime(input.start, zone).toISOString(),
            endUtc: parseLocalTime(input.end, zone).toISOString(),
          }
        : undefined;
    let report: ContactReport;
    switch (input.kind) {
      case 'proposal':
        if (!slot) return 'A proposal needs start and end.';
        report = { kind: 'proposal', slot, contactTimeZone: zone, note: input.note };
        break;
      case 'confirmed':
        report = { kind: 'confirmed', slot, note: input.note };
        break;
      case 'answered':
        if (!input.note) return 'An answer needs the note with what they said.';
        report = { kind: 'answered', note: input.note };
        break;
      default:
        report = { kind: 'declined', note: input.note };
    }
    const from = { from: ctx.caller.telegramId };
    return answerWith(
      ctx,
      negotiation.id,
      await ctx.negotiations.report(negotiation.id, { ...report, ...from }, ctx.callId),
    );
  },
});

export const notifyOwner = defineTool({
  name: 'notify_owner',
  description: 'Pass a message from this person to the owner, about an active conversation task.',
  roles: ['external'],
  needsActiveNegotiation: true,
  input: z.object({ task_id: z.string().min(1), message: z.string().trim().min(1).max(2000) }),
  async run(ctx, { task_id, message }) {
    const negotiation = await ownNegotiation(ctx, task_id);
    const verdict = await ctx.negotiations.report(
      negotiation.id,
      { kind: 'info', note: message, from: ctx.caller.telegramId },
      ctx.callId,
    );
    return answerWith(ctx, negotiation.id, verdict);
  },
});
