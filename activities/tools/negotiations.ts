// The owner's tools for negotiations, the errands the assistant runs with contacts on the
// owner's behalf (seed 004): start one, follow it, decide when a decision is the owner's,
// cancel. The negotiation answers decisions and cancellations itself (its verdict is the
// tool's result). The tool names the model sees say "conversation", as they always have.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { displayNameOf } from '../../pure/people.ts';
import { formatSpanInZones, isTimeZone } from '../../pure/time-zones.ts';
import { NEGOTIATION_STATUSES, NEGOTIATION_TYPES } from '../../contracts/negotiation.ts';
import { describeGuests, MAX_GUESTS, MIN_GUESTS } from '../../contracts/group-meeting.ts';
import { meetingOptions } from '../../pure/free-time.ts';
import type { MeetingTerms } from '../../contracts/negotiation.ts';
import { rowIdFor } from './call-ids.ts';
import { parseLocalTime } from './local-times.ts';
import { answerWith } from './negotiation-verdict.ts';
import type { onePerson } from './people.ts';
import { reachablePerson } from './reach-person.ts';
import { defineTool, ToolRefusal } from './types.ts';
import type { ToolContext } from './types.ts';

const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'use YYYY-MM-DDTHH:MM (local time, no offset)');

async function ownedNegotiation(ctx: ToolContext, id: string) {
  const negotiation = await ctx.db.negotiation.findUnique({ where: { id }, include: { contact: true } });
  if (!negotiation || Number(negotiation.ownerId) !== ctx.caller.telegramId) {
    throw new ToolRefusal(`There is no conversation ${id}.`);
  }
  return negotiation;
}

/** A retried start_conversation finds the negotiation it started. */
const negotiationIdFor = (callId: string) => rowIdFor('negotiation', callId);

const startInput = z.object({
  user: z
    .string()
    .min(1)
    .describe('The contact: @username, phone number (+…), Telegram id, or name; they need not have written before'),
  more_users: z
    .array(z.string().min(1))
    .min(MIN_GUESTS - 1)
    .max(MAX_GUESTS - 1)
    .optional()
    .describe(
      `A meeting with several people (${MIN_GUESTS}–${MAX_GUESTS} in all): everyone besides user. Each is asked in their own chat; it is booked only when all have confirmed.`,
    ),
  type: z.enum(NEGOTIATION_TYPES),
  brief: z
    .string()
    .min(1)
    .max(2000)
    .describe('What the contact should be told and asked. Only this reaches the contact.'),
  private_notes: z
    .string()
    .max(2000)
    .optional()
    .describe("The owner's private notes for you; never shown to the contact"),
  meeting: z
    .object({
      duration_minutes: z
        .number()
        .int()
        .min(5)
        .max(24 * 60),
      windows: z
        .array(z.object({ start: localTime, end: localTime }))
        .min(1)
        .max(20)
        .optional()
        .describe(
          "When the owner is available, in the owner's local time. With the owner's calendar connected: the limits to search it within (e.g. next week's afternoons); leave out for the next 7 days.",
        ),
      place: z.string().max(300).optional(),
      ignore_calendar: z
        .boolean()
        .optional()
        .describe(
          'Only when the calendar could not be read and the owner then gave the windows themselves: offer exactly those.',
        ),
    })
    .optional()
    .describe('Required for type "meeting"'),
});

export const startConversation = defineTool({
  name: 'start_conversation',
  description:
    "Start a conversation with a contact on the owner's behalf (arrange a meeting, ask a question, assign a task). It runs on its own for days: the contact is written to, reminded if silent, and the owner is asked when a decision is theirs and told the outcome. Returns at once.",
  roles: ['owner'],
  input: startInput,
  async run(ctx, input) {
    const { db, config, caller, negotiations } = ctx;
    if (input.type === 'meeting' && !input.meeting)
      return 'A meeting needs meeting.duration_minutes and meeting.windows.';
    const contact = await reachablePerson(ctx, input.user);
    const owner = await db.user.findUnique({ where: { telegramId: BigInt(caller.telegramId) } });
    if (input.more_users) return startGroupMeeting(ctx, input, contact, owner);
    const ownerTimeZone = owner?.timeZone ?? config.ownerTimeZone;
    let meeting: MeetingTerms | undefined;
    if (input.meeting) {
      const windows = input.meeting.windows?.map((w) => ({
        startUtc: parseLocalTime(w.start, ownerTimeZone).toISOString(),
        endUtc: parseLocalTime(w.end, ownerTimeZone).toISOString(),
      }));
      if (windows?.some((w) => w.endUtc <= w.startUtc)) return 'Each window must end after it starts.';
      const planned = await meetingFromCalendar(ctx, input.meeting, windows, ownerTimeZone);
      if (typeof planned === 'string') return planned;
      meeting = planned;
    }
    const task = await db.negotiation.upsert({
      where: { id: negotiationIdFor(ctx.callId) },
      create: {
        id: negotiationIdFor(ctx.callId),
        ownerId: BigInt(caller.telegramId),
        contactId: contact.telegramId,
        type: input.type,
        context: JSON.parse(JSON.stringify({ brief: input.brief, privateNotes: input.private_notes, meeting })),
      },
      update: {},
    });
    const contactName = displayNameOf(contact, `id ${contact.telegramId}`);
    const started = negotiations.start({
      taskId: task.id,
      ownerId: caller.telegramId,
      ownerName: owner
        ? displayNameOf({ firstName: owner.firstName, lastName: owner.lastName }, 'the owner')
        : 'the owner',
      ownerTimeZone,
      contactId: Number(contact.telegramId),
      contactName,
      contactTimeZone: contact.timeZone && isTimeZone(contact.timeZone) ? contact.timeZone : ownerTimeZone,
      type: input.type,
      brief: input.brief,
      meeting,
      timing: {
        nudgeAfterMs: config.negotiationNudgeHours * 3600_000,
        maxNudges: config.negotiationMaxNudges,
        deadlineMs: config.negotiationDeadlineHours * 3600_000,
      },
    });
    // A retried call: the negotiation is already running.
    await started.catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
    const windows = meeting?.windows.map((w) => formatSpanInZones(w.startUtc, w.endUtc, [ownerTimeZone])).join('; ');
    const options = meeting?.options?.map((o) => formatSpanInZones(o.startUtc, o.endUtc, [ownerTimeZone])).join('; ');
    return `Started conversation ${task.id} with ${contactName}${options ? ` (offering from your calendar: ${options})` : windows ? ` (your windows: ${windows})` : ''}. I'll write to them now and report back.`;
  },
});

const WEEK_MS = 7 * 24 * 3600_000;

type StartInput = z.infer<typeof startInput>;
type Person = Awaited<ReturnType<typeof onePerson>>;

/** A meeting with several people: every guest asked in their own chat, one time proposed to all. */
async function startGroupMeeting(ctx: ToolContext, input: StartInput, first: Person, owner: Person | null) {
  const { db, config, caller, negotiations } = ctx;
  if (input.type !== 'meeting' || !input.meeting) return 'Several people can only be invited to a meeting.';
  if (!negotiations.startGroup) return 'Meetings with several people are not available here.';
  const people = [first];
  for (const user of input.more_users ?? []) {
    const person = await reachablePerson(ctx, user);
    if (!people.some((p) => p.telegramId === person.telegramId)) people.push(person);
  }
  if (people.length < MIN_GUESTS) return 'A meeting with several people needs at least two different people.';
  const ownerTimeZone = owner?.timeZone ?? config.ownerTimeZone;
  const windows = input.meeting.windows?.map((w) => ({
    startUtc: parseLocalTime(w.start, ownerTimeZone).toISOString(),
    endUtc: parseLocalTime(w.end, ownerTimeZone).toISOString(),
  }));
  if (windows?.some((w) => w.endUtc <= w.startUtc)) return 'Each window must end after it starts.';
  const planned = await meetingFromCalendar(ctx, input.meeting, windows, ownerTimeZone);
  if (typeof planned === 'string') return planned;
  // More options than for one person: every decline moves everyone to the next one.
  const options = meetingOptions(
    planned.windows.map((w) => ({ start: Date.parse(w.startUtc), end: Date.parse(w.endUtc) })),
    planned.durationMinutes,
    ownerTimeZone,
    MAX_GUESTS,
  );
  if (options.length === 0) return 'The windows are too short for the meeting: ask the owner for longer ones.';
  const meeting = { ...planned, options };
  const id = negotiationIdFor(ctx.callId);
  await db.negotiation.upsert({
    where: { id },
    create: {
      id,
      ownerId: BigInt(caller.telegramId),
      contactId: first.telegramId,
      type: 'meeting',
      context: JSON.parse(JSON.stringify({ brief: input.brief, privateNotes: input.private_notes, meeting })),
      guests: { create: people.map((p) => ({ contactId: p.telegramId })) },
    },
    update: {},
  });
  const guests = people.map((p) => ({
    telegramId: Number(p.telegramId),
    name: displayNameOf(p, `id ${p.telegramId}`),
    timeZone: p.timeZone && isTimeZone(p.timeZone) ? p.timeZone : ownerTimeZone,
  }));
  await negotiations
    .startGroup({
      taskId: id,
      ownerId: caller.telegramId,
      ownerName: owner
        ? displayNameOf({ firstName: owner.firstName, lastName: owner.lastName }, 'the owner')
        : 'the owner',
      ownerTimeZone,
      guests,
      brief: input.brief,
      meeting,
      timing: {
        nudgeAfterMs: config.negotiationNudgeHours * 3600_000,
        maxNudges: config.negotiationMaxNudges,
        deadlineMs: config.negotiationDeadlineHours * 3600_000,
      },
    })
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    });
  const offered = options.map((o) => formatSpanInZones(o.startUtc, o.endUtc, [ownerTimeZone])).join('; ');
  return `Started conversation ${id}: a meeting with ${guests.map((g) => g.name).join(', ')}. Proposing to everyone in turn: ${offered}. I'll report back.`;
}

/**
 * The meeting's terms: with the owner's calendar, its free time within the stated limits
 * (working hours, buffers) and 2–3 options from it; a calendar that cannot be read is said
 * so, never taken for free. Without one, the windows the owner typed. A string is the
 * answer for the model instead (what to ask the owner).
 */
async function meetingFromCalendar(
  ctx: ToolContext,
  requested: { duration_minutes: number; place?: string; ignore_calendar?: boolean },
  windows: { startUtc: string; endUtc: string }[] | undefined,
  ownerTimeZone: string,
): Promise<MeetingTerms | string> {
  const { calendar, config } = ctx;
  const base = { durationMinutes: requested.duration_minutes, place: requested.place };
  const booking = calendar && { calendar: { telegramTaskQueue: config.telegramTaskQueue ?? 'telegram' } };
  if (!calendar || requested.ignore_calendar) {
    if (!windows) return 'A meeting needs meeting.windows: ask the owner when they are available.';
    return { ...base, windows, ...booking };
  }
  const now = Date.now();
  const limits = windows?.map((w) => ({ start: Date.parse(w.startUtc), end: Date.parse(w.endUtc) })) ?? [
    { start: now, end: now + WEEK_MS },
  ];
  const answer = await calendar.options({
    limits,
    durationMinutes: requested.duration_minutes,
    timeZone: ownerTimeZone,
    now,
  });
  if (!answer.known) {
    return `I could not read the owner's calendar (${answer.reason}), so I do not know when they are free. Tell the owner, ask which windows to offer, then call start_conversation again with those windows and ignore_calendar: true.`;
  }
  if (answer.options.length === 0) {
    return `The owner's calendar has no free ${requested.duration_minutes}-minute time in working hours within the limits asked for. Tell the owner and ask for other limits (or for windows to offer anyway, with ignore_calendar: true).`;
  }
  const free = answer.windows.map((w) => ({
    startUtc: new Date(w.start).toISOString(),
    endUtc: new Date(w.end).toISOString(),
  }));
  return { ...base, windows: free, options: answer.options, ...booking };
}

export const getConversationStatus = defineTool({
  name: 'get_conversation_status',
  description: 'The current state of one conversation the assistant holds for the owner.',
  roles: ['owner'],
  input: z.object({ id: z.string().min(1) }),
  async run(ctx, { id }) {
    const negotiation = await ownedNegotiation(ctx, id);
    // A running negotiation speaks for itself; a finished one left its final state in the row.
    const live = await ctx.negotiations.status(id).catch(() => undefined);
    const contact = displayNameOf(negotiation.contact, `id ${negotiation.contactId}`);
    const lines = [
      `Conversation ${negotiation.id} (${negotiation.type}) with ${contact}: ${live?.status ?? negotiation.status}.`,
    ];
    if (live) lines.push(`Last event: ${live.lastEvent}; reminders sent: ${live.nudges}.`);
    if (live?.guests) lines.push(`Guests: ${describeGuests(live.guests)}.`);
    const result = live?.result ?? negotiation.result;
    if (result) lines.push(`Result: ${JSON.stringify(result)}`);
    return lines.join('\n');
  },
});

export const listConversations = defineTool({
  name: 'list_conversations',
  description: 'List the conversations the assistant holds for the owner, newest first, optionally by status.',
  roles: ['owner'],
  input: z.object({ status: z.enum(NEGOTIATION_STATUSES).optional() }),
  async run({ db, caller }, { status }) {
    const negotiations = await db.negotiation.findMany({
      where: { ownerId: BigInt(caller.telegramId), ...(status && { status }) },
      include: { contact: true },
      orderBy: { createdAt: 'desc' },
      take: 30,
    });
    if (negotiations.length === 0) return status ? `No conversations with status ${status}.` : 'No conversations yet.';
    return negotiations
      .map((n) => {
        const brief = (n.context as { brief?: string }).brief ?? '';
        return `- ${n.id}: ${n.type} with ${displayNameOf(n.contact, `id ${n.contactId}`)} — ${n.status} — ${brief.slice(0, 80)}`;
      })
      .join('\n');
  },
});

export const cancelConversation = defineTool({
  name: 'cancel_conversation',
  description: 'Cancel a running conversation; the contact is told politely that it is no longer needed.',
  roles: ['owner'],
  input: z.object({ id: z.string().min(1), reason: z.string().max(500).optional() }),
  async run(ctx, { id, reason }) {
    const negotiation = await ownedNegotiation(ctx, id);
    return answerWith(ctx, negotiation.id, await ctx.negotiations.cancel(negotiation.id, reason, ctx.callId));
  },
});

export const rescheduleMeeting = defineTool({
  name: 'reschedule_meeting',
  description:
    "Move a meeting already agreed and booked in the owner's calendar to another time, on the owner's word: the calendar event is updated and the contact gets the updated invitation.",
  roles: ['owner'],
  input: z.object({
    id: z.string().min(1),
    start: localTime.describe("New start, in the owner's local time"),
    end: localTime,
  }),
  async run(ctx, { id, start, end }) {
    const negotiation = await ownedNegotiation(ctx, id);
    if (!ctx.negotiations.reschedule) return 'Moving meetings is not available here.';
    const owner = await ctx.db.user.findUnique({ where: { telegramId: BigInt(ctx.caller.telegramId) } });
    const zone = owner?.timeZone ?? ctx.config.ownerTimeZone;
    const slot = {
      startUtc: parseLocalTime(start, zone).toISOString(),
      endUtc: parseLocalTime(end, zone).toISOString(),
    };
    return answerWith(ctx, negotiation.id, await ctx.negotiations.reschedule(negotiation.id, slot, ctx.callId));
  },
});

export const answerConversation = defineTool({
  name: 'answer_conversation',
  description:
    "Give the owner's decision in a conversation waiting for them: accept the proposed time, decline it, or counter with a message for the contact. Only on the owner's explicit word.",
  roles: ['owner'],
  input: z.object({
    id: z.string().min(1),
    decision: z.enum(['accept', 'decline', 'counter']),
    message: z.string().max(2000).optional().describe('What the contact should be told (needed for counter)'),
  }),
  async run(ctx, { id, decision, message }) {
    const negotiation = await ownedNegotiation(ctx, id);
    const verdict = await ctx.negotiations.decide(
      negotiation.id,
      decision === 'counter' ? { decision, message: message ?? '' } : { decision, message },
      ctx.callId,
    );
    return answerWith(ctx, negotiation.id, verdict);
  },
});
