// Negotiations over days, on Temporal's time-skipping test server: the owner delegates,
// the contact's session opens the conversation, the negotiation waits, nudges, asks the
// owner, and reports — with real PostgreSQL and the scripted Claude playing both sides.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { hourInZone, zonedToUtc } from '../pure/time-zones.ts';
import { negotiationStatusQuery, negotiationWorkflowId } from '../contracts/negotiation.ts';
import type { NegotiationStatus, NegotiationView } from '../contracts/negotiation.ts';
import { negotiationWorld } from './support/negotiation-world.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { dateAfter, skipTo, skipToLocalHour } from './support/server-clock.ts';
import { waitUntil } from './support/wait.ts';

const OWNER_ZONE = 'Europe/Moscow';
const CONTACT_ZONE = 'Europe/Berlin';
const HOUR = 3600_000;

let stack: TestStack;
const starts = new Map<string, Record<string, unknown>>();

// Scenarios that depend on the contact's hour run from several local start hours of the
// server's clock (night, morning, evening), so they pass whenever the suite runs.
const START_HOURS = [2, 11, 20];

/** A date some days ahead of the server's clock, as YYYY-MM-DD (the workflows live on that clock). */
async function day(offset: number): Promise<string> {
  return dateAfter(await stack.env.currentTimeMs(), offset);
}

beforeAll(async () => {
  stack = await createTestStack(
    {
      OWNER_TIMEZONE: OWNER_ZONE,
      NEGOTIATION_NUDGE_HOURS: '24',
      NEGOTIATION_MAX_NUDGES: '2',
      NEGOTIATION_DEADLINE_HOURS: '168',
    },
    { timeSkipping: true },
  );
  stack.claude.script = negotiationWorld({ starts });
});

afterAll(async () => {
  await stack?.teardown();
});

interface Contact {
  telegramId: number;
  firstName: string;
  username: string;
}

async function newContact(name: string): Promise<Contact> {
  const c = stack.newContact(name) as Contact;
  await stack.db.user.create({
    data: { telegramId: BigInt(c.telegramId), firstName: name, username: c.username, timeZone: CONTACT_ZONE },
  });
  return c;
}

/**
 * The owner asks for a meeting three days ahead (12:00–20:00 Moscow); resolves with the new
 * conversation's id and the meeting day once the contact has been written to.
 */
async function ownerAsksForMeeting(contact: Contact, request = `Arrange a meeting with @${contact.username}`) {
  const meetingDay = await day(3);
  starts.set(request, {
    user: `@${contact.username}`,
    type: 'meeting',
    brief: 'Agree on a one-hour call about the Q4 budget.',
    private_notes: 'SECRET: avoid mornings, I have the dentist; do not mention it.',
    meeting: {
      duration_minutes: 60,
      windows: [{ start: `${meetingDay}T12:00`, end: `${meetingDay}T20:00` }],
      place: 'Zoom',
    },
  });
  const before = stack.telegram.messagesTo(contact.telegramId).length;
  await stack.send(stack.owner, request);
  await stack.telegram.waitForMessages(contact.telegramId, 1, before);
  const task = await stack.db.negotiation.findFirstOrThrow({
    where: { contactId: BigInt(contact.telegramId) },
    orderBy: { createdAt: 'desc' },
  });
  return { taskId: task.id, meetingDay };
}

async function negotiation(taskId: string): Promise<NegotiationView> {
  return stack.env.client.workflow.getHandle(negotiationWorkflowId(taskId)).query(negotiationStatusQuery);
}

async function until(taskId: string, status: NegotiationStatus) {
  await waitUntil(
    async () => (await stack.db.negotiation.findUniqueOrThrow({ where: { id: taskId } })).status === status,
    `status ${status}`,
  );
}

async function contactSays(contact: Contact, text: string) {
  await stack.send(contact, text);
}

function textsTo(chatId: number): string[] {
  return stack.telegram.messagesTo(chatId).map((m) => m.text);
}

async function sessionIdle(telegramId: number) {
  const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(telegramId));
  await waitUntil(async () => {
    const s = await handle.query(sessionStatusQuery);
    return !s.busy && s.queued === 0;
  }, 'session idle');
}

/**
 * The negotiation's history replays on the current code; with RECORD_HISTORIES=1 it is
 * kept under tests/histories/ for replay.test.ts.
 */
async function replayAndRecord(taskId: string, name: string) {
  const history = await stack.env.client.workflow.getHandle(negotiationWorkflowId(taskId)).fetchHistory();
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
    history,
    taskId,
  );
  if (process.env.RECORD_HISTORIES === '1') {
    mkdirSync(join(REPO_ROOT, 'tests', 'histories'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'tests', 'histories', `${name}.json`), historyToJSON(history));
  }
}

describe('negotiations', () => {
  it.each(START_HOURS)(
    'agrees a meeting over three days with two replies, confirming it back and reporting to both (from %i:00 in her zone)',
    async (startHour) => {
      const alice = await newContact('Alice');
      await stack.run(async () => {
        // Inside the run: the server's clock only skips ahead while workers finish what is pending.
        await skipToLocalHour(stack.env, startHour, CONTACT_ZONE);
        const { taskId, meetingDay } = await ownerAsksForMeeting(alice);
        const openedAt = await stack.env.currentTimeMs();
        const [opening] = textsTo(alice.telegramId);
        expect(opening).toContain('Agree on a one-hour call about the Q4 budget.');
        // Windows stated in both zones: 12:00–20:00 Moscow is 10:00–18:00 Berlin.
        expect(opening).toMatch(
          /12:00 \(Europe\/Moscow\) – 20:00 \(Europe\/Moscow\) = .*10:00 \(Europe\/Berlin\) – 18:00 \(Europe\/Berlin\)/,
        );
        expect((await negotiation(taskId)).status).toBe('in_progress');

        // Day 2: Alice was silent, so she gets a reminder 24 h later — or, if that falls in
        // her night, at the start of her day (09:00–21:00 Berlin).
        let nudgeDue = openedAt + 24 * HOUR;
        while (hourInZone(nudgeDue, CONTACT_ZONE) < 9 || hourInZone(nudgeDue, CONTACT_ZONE) >= 21) nudgeDue += HOUR / 4;
        await skipTo(stack.env, nudgeDue - HOUR);
        expect(textsTo(alice.telegramId)).toHaveLength(1); // not a minute early
        await skipTo(stack.env, nudgeDue + 10 * 60_000);
        await waitUntil(() => textsTo(alice.telegramId).length >= 2, 'first reminder');
        expect(textsTo(alice.telegramId)[1]).toContain('reminder');
        await contactSays(alice, `propose ${meetingDay}T15:00 ${meetingDay}T16:00 ${CONTACT_ZONE}`);
        await waitUntil(() => textsTo(alice.telegramId).some((t) => t.includes('That time works')), 'confirm-back');
        const confirmBack = textsTo(alice.telegramId).find((t) => t.includes('That time works'))!;
        expect(confirmBack).toMatch(
          /17:00 \(Europe\/Moscow\) – 18:00 \(Europe\/Moscow\) = .*15:00 \(Europe\/Berlin\) – 16:00 \(Europe\/Berlin\)/,
        );
        expect((await negotiation(taskId)).status).toBe('in_progress'); // not final before Alice confirms

        await stack.env.sleep(20 * HOUR); // day 3
        await contactSays(alice, 'confirm');
        await until(taskId, 'completed');
        await waitUntil(
          () => textsTo(stack.owner.telegramId).some((t) => t.includes('✅ Meeting with Alice')),
          'owner told',
        );
        await waitUntil(() => textsTo(alice.telegramId).some((t) => t.includes('Final confirmation')), 'contact told');

        const task = await stack.db.negotiation.findUniqueOrThrow({ where: { id: taskId } });
        expect(task.result).toEqual({
          meeting: {
            startUtc: zonedToUtc(`${meetingDay}T15:00`, CONTACT_ZONE).toISOString(),
            endUtc: zonedToUtc(`${meetingDay}T16:00`, CONTACT_ZONE).toISOString(),
            contactTimeZone: CONTACT_ZONE,
            place: 'Zoom',
          },
        });
        const report = textsTo(stack.owner.telegramId).find((t) => t.includes('✅ Meeting with Alice'))!;
        expect(report).toContain('17:00 (Europe/Moscow)');
        expect(report).toContain('15:00 (Europe/Berlin)');

        // The owner's private note never reached Alice, nor her assistant.
        expect(textsTo(alice.telegramId).join('\n')).not.toContain('dentist');
        const aliceRequests = stack.claude.requests.filter((r) =>
          (r.body.system[0].text as string).includes(`Conversation ${taskId}`),
        );
        expect(aliceRequests.length).toBeGreaterThan(0);
        for (const r of aliceRequests) expect(JSON.stringify(r.body)).not.toContain('dentist');

        await sessionIdle(alice.telegramId);
        await replayAndRecord(taskId, 'negotiation-meeting');
      });
    },
  );

  it.each(START_HOURS)(
    'nudges a silent contact twice, only in their daytime, then expires and tells the owner (from %i:00 in his zone)',
    async (startHour) => {
      const boris = await newContact('Boris');
      await stack.run(async () => {
        // Inside the run: the server's clock only skips ahead while workers finish what is pending.
        await skipToLocalHour(stack.env, startHour, CONTACT_ZONE);
        const { taskId } = await ownerAsksForMeeting(boris);
        for (let i = 0; i < 4; i++) await stack.env.sleep(24 * HOUR);
        await until(taskId, 'expired');
        await waitUntil(
          () =>
            textsTo(stack.owner.telegramId).some(
              (t) => t.includes('Boris') && t.includes('has not answered after 2 reminders'),
            ),
          'owner told of expiry',
        );
        const reminders = textsTo(boris.telegramId).filter((t) => t.includes('reminder'));
        expect(reminders).toHaveLength(2);
      });
      // When (in workflow time) the reminders were asked for: always in Boris's daytime.
      const history = await stack.env.client.workflow.getHandle(sessionWorkflowId(boris.telegramId)).fetchHistory();
      const reminderTimes = history
        .events!.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'conversationInstruction')
        .filter((e) => JSON.stringify(e.workflowExecutionSignaledEventAttributes?.input).length > 0)
        .map((e) => Number(e.eventTime!.seconds) * 1000);
      expect(reminderTimes.length).toBeGreaterThanOrEqual(3);
      for (const t of reminderTimes.slice(1)) {
        const hour = hourInZone(t, CONTACT_ZONE);
        expect(hour >= 9 && hour < 21).toBe(true);
      }
    },
  );

  it('escalates a time outside the owner’s windows to the owner, and resumes on the owner’s answer', async () => {
    const carl = await newContact('Carl');
    await stack.run(async () => {
      const { taskId, meetingDay } = await ownerAsksForMeeting(carl);
      await contactSays(carl, `propose ${meetingDay}T09:00 ${meetingDay}T10:00 ${CONTACT_ZONE}`);
      await until(taskId, 'awaiting_owner');
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => t.includes('outside your windows')),
        'owner asked',
      );
      await waitUntil(
        () => textsTo(carl.telegramId).some((t) => t.includes('check') && t.includes('do not agree')),
        'contact told it is being checked',
      );
      expect(textsTo(carl.telegramId).some((t) => t.includes('That time works'))).toBe(false);

      await stack.env.sleep(5 * HOUR);
      await stack.send(stack.owner, 'accept it');
      await until(taskId, 'in_progress');
      await waitUntil(() => textsTo(carl.telegramId).some((t) => t.includes('accepts')), 'contact asked to confirm');
      await contactSays(carl, 'confirm');
      await until(taskId, 'completed');
      // The negotiation's verdict is the tool's result in Carl's session: the final confirmation.
      await waitUntil(() => textsTo(carl.telegramId).some((t) => t.includes('Final confirmation')), 'carl told');
      await sessionIdle(carl.telegramId);
      await replayAndRecord(taskId, 'negotiation-escalated');
    });
  });

  it('answers a decision the negotiation does not allow with its reason, and changes nothing', async () => {
    const ida = await newContact('Ida');
    await stack.run(async () => {
      const { taskId } = await ownerAsksForMeeting(ida);
      await sessionIdle(ida.telegramId);
      const toIda = textsTo(ida.telegramId).length;

      // Nothing was proposed yet: there is nothing to accept.
      await stack.send(stack.owner, 'accept it');
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => t.includes('Rejected: There is no proposed time to accept')),
        'owner told why',
      );
      // Ida confirms a time nobody agreed on: her assistant is told to agree on one first.
      await contactSays(ida, 'confirm');
      await waitUntil(
        () => textsTo(ida.telegramId).some((t) => t.includes('Rejected: There is no agreed time to confirm yet')),
        'contact told why',
      );
      await sessionIdle(ida.telegramId);
      expect(textsTo(ida.telegramId)).toHaveLength(toIda + 1);
      expect(await negotiation(taskId)).toMatchObject({
        status: 'in_progress',
        lastEvent: expect.stringContaining('opened'),
      });
      const audit = await stack.db.toolCall.findMany({
        where: { tool: { in: ['answer_conversation', 'update_conversation'] }, detail: { startsWith: 'Rejected' } },
      });
      expect(audit.filter((a) => Number(a.telegramId) === ida.telegramId).map((a) => a.outcome)).toEqual(['error']);

      // Once it is over, decisions are refused with its final state.
      await stack.send(stack.owner, 'cancel it');
      await until(taskId, 'cancelled');
      await sessionIdle(stack.owner.telegramId);
      await stack.send(stack.owner, 'cancel it');
      await waitUntil(
        () =>
          textsTo(stack.owner.telegramId).some((t) =>
            t.toLowerCase().includes(`conversation ${taskId} is already cancelled`),
          ),
        'owner told it is over',
      );
      await sessionIdle(stack.owner.telegramId);
    });
  });

  it('cancels mid-way at the owner’s word, telling the contact', async () => {
    const dina = await newContact('Dina');
    await stack.run(async () => {
      const { taskId } = await ownerAsksForMeeting(dina);
      await stack.send(stack.owner, 'cancel it');
      await until(taskId, 'cancelled');
      await waitUntil(() => textsTo(dina.telegramId).some((t) => t.includes('no longer needs')), 'contact told');
      const status = await stack.env.client.workflow.getHandle(negotiationWorkflowId(taskId)).result();
      expect(status.status).toBe('cancelled');
    });
  });

  it('keeps two negotiations with the same contact apart', async () => {
    const emil = await newContact('Emil');
    await stack.run(async () => {
      const { taskId: meetingId } = await ownerAsksForMeeting(
        emil,
        `Arrange a meeting with @${emil.username} (parallel)`,
      );
      const request = `Ask @${emil.username} for their favourite colour`;
      starts.set(request, {
        user: `@${emil.username}`,
        type: 'question',
        brief: 'Ask what their favourite colour is.',
      });
      await stack.send(stack.owner, request);
      await waitUntil(
        async () => (await stack.db.negotiation.count({ where: { contactId: BigInt(emil.telegramId) } })) === 2,
        'second task',
      );
      const questionId = (
        await stack.db.negotiation.findFirstOrThrow({
          where: { contactId: BigInt(emil.telegramId), type: 'question' },
        })
      ).id;
      await waitUntil(() => textsTo(emil.telegramId).some((t) => t.includes('favourite colour')), 'question asked');
      await sessionIdle(emil.telegramId);

      await contactSays(emil, 'answer green');
      await until(questionId, 'completed');
      expect((await stack.db.negotiation.findUniqueOrThrow({ where: { id: questionId } })).result).toEqual({
        answer: 'green',
      });
      expect((await negotiation(meetingId)).status).toBe('in_progress');
      expect((await stack.db.negotiation.findUniqueOrThrow({ where: { id: meetingId } })).result).toBeNull();
      await sessionIdle(emil.telegramId);
    });
  });

  it("refuses a contact's attempt to act on another person's conversation", async () => {
    const fay = await newContact('Fay');
    const mallory = await newContact('Mallory');
    await stack.run(async () => {
      const { taskId } = await ownerAsksForMeeting(fay);
      await contactSays(mallory, `tamper ${taskId}`);
      await waitUntil(
        async () => (await stack.db.toolCall.count({ where: { telegramId: BigInt(mallory.telegramId) } })) > 0,
        'attempt recorded',
      );
      await sessionIdle(mallory.telegramId);
    });
    const attempts = await stack.db.toolCall.findMany({ where: { telegramId: BigInt(mallory.telegramId) } });
    expect(attempts.map((a) => [a.tool, a.outcome])).toEqual([['update_conversation', 'refused']]);
    const task = await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(fay.telegramId) } });
    expect(task.status).toBe('in_progress');
    expect(task.result).toBeNull();
    // Mallory has no conversation of her own, so she is not even offered the tool.
    const malloryRequest = stack.claude.requests.find((r) => (r.body.system[0].text as string).includes('Mallory'))!;
    expect((malloryRequest.body.tools as Array<{ name: string }>).map((t) => t.name).sort()).toEqual([
      'get_my_tasks',
      'send_summary_to_owner',
      'update_task_status',
    ]);
  });

  it('survives a worker restart mid-negotiation without losing or repeating anything', async () => {
    const gina = await newContact('Gina');
    let taskId = '';
    await stack.run(async () => {
      const asked = await ownerAsksForMeeting(gina);
      taskId = asked.taskId;
      await contactSays(gina, `propose ${asked.meetingDay}T15:00 ${asked.meetingDay}T16:00 ${CONTACT_ZONE}`);
      await waitUntil(() => textsTo(gina.telegramId).some((t) => t.includes('That time works')), 'confirm-back');
      await sessionIdle(gina.telegramId);
    });
    // Workers are down; the contact answers meanwhile.
    await contactSays(gina, 'confirm');
    const before = textsTo(gina.telegramId);
    await stack.run(async () => {
      await until(taskId, 'completed');
      await waitUntil(
        () => textsTo(gina.telegramId).some((t) => t.includes('Final confirmation')),
        'final confirmation',
      );
      await sessionIdle(gina.telegramId);
    });
    const after = textsTo(gina.telegramId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.filter((t) => t.includes('Final confirmation'))).toHaveLength(1);
    expect(after.filter((t) => t.includes('That time works'))).toHaveLength(1);
    expect(new Set(stack.telegram.messagesTo(gina.telegramId).map((m) => m.idempotencyKey)).size).toBe(after.length);
  });
});
