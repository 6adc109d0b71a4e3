// A meeting arranged from the owner's calendar, end to end: the owner's message through the
// gateway, the real @anthropic-ai/sdk against the scripted Messages API playing both
// assistants, Temporal's time-skipping server, real PostgreSQL, and a real CalDAV server
// (Radicale). Options come from free time; a time taken meanwhile is not booked and the
// next option is offered; the agreed meeting is booked and the contact gets the .ics; the
// owner's cancellation removes it and sends METHOD:CANCEL once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { OwnerCalendar } from '../activities/calendar/owner-calendar.ts';
import { negotiationStatusQuery, negotiationWorkflowId } from '../contracts/negotiation.ts';
import type { NegotiationStatus } from '../contracts/negotiation.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { formatSpanInZones, hourInZone, zonedToUtc } from '../pure/time-zones.ts';
import { negotiationWorld } from './support/negotiation-world.ts';
import { startRadicale } from './support/radicale.ts';
import type { Radicale } from './support/radicale.ts';
import { dateAfter, skipToLocalHour } from './support/server-clock.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const OWNER_ZONE = 'Europe/Moscow'; // UTC+3
const CONTACT_ZONE = 'Europe/Berlin';

let radicale: Radicale;
let work: string;
let personal: string;
let stack: TestStack;
const starts = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  radicale = await startRadicale();
  work = await radicale.makeCalendar('work', 'Work');
  personal = await radicale.makeCalendar('personal', 'Personal');
  stack = await createTestStack(
    {
      OWNER_TIMEZONE: OWNER_ZONE,
      CALDAV_URL: radicale.url,
      CALDAV_USERNAME: radicale.username,
      CALDAV_PASSWORD: radicale.password,
      CALDAV_CALENDAR: 'Work',
      OWNER_WORKING_HOURS: '10-19',
      MEETING_BUFFER_MINUTES: '15',
      NEGOTIATION_DEADLINE_HOURS: '168',
    },
    { timeSkipping: true },
  );
  stack.claude.script = negotiationWorld({ starts });
});

afterAll(async () => {
  await stack?.teardown();
  radicale?.stop();
});

function busyEvent(uid: string, day: string, from: string, to: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'SUMMARY:Busy',
    `DTSTART;TZID=${OWNER_ZONE}:${day.replaceAll('-', '')}T${from.replace(':', '')}00`,
    `DTEND;TZID=${OWNER_ZONE}:${day.replaceAll('-', '')}T${to.replace(':', '')}00`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

async function newContact(name: string, timeZone = CONTACT_ZONE) {
  const contact = stack.newContact(name);
  await stack.db.user.create({
    data: { telegramId: BigInt(contact.telegramId), firstName: name, username: contact.username, timeZone },
  });
  return contact;
}

type History = Awaited<ReturnType<ReturnType<TestStack['env']['client']['workflow']['getHandle']>['fetchHistory']>>;

/** When (workflow time) the negotiation last instructed a person's session (payloads decoded: they are encrypted). */
async function lastInstructionTo(recorded: History, telegramId: number, codecs: PayloadCodec[]): Promise<number> {
  let last: number | undefined;
  for (const e of recorded.events!) {
    const attributes = e.activityTaskScheduledEventAttributes;
    if (attributes?.activityType?.name !== 'instructContact') continue;
    let payloads = attributes.input!.payloads! as Payload[];
    for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
    if (Buffer.from(payloads[0]!.data!).toString().includes(`"contactId":${telegramId}`)) {
      last = Number(e.eventTime!.seconds) * 1000;
    }
  }
  return last!;
}

const textsTo = (chatId: number) => stack.telegram.messagesTo(chatId).map((m) => m.text);
const filesTo = (chatId: number) => stack.telegram.messagesTo(chatId).filter((m) => m.file);

async function until(taskId: string, status: NegotiationStatus) {
  await waitUntil(
    async () => (await stack.db.negotiation.findUniqueOrThrow({ where: { id: taskId } })).status === status,
    `status ${status}`,
  );
}

const ownerCalendar = () =>
  new OwnerCalendar(
    { url: radicale.url, username: radicale.username, password: radicale.password, calendar: 'Work' },
    { workingHours: { start: 10, end: 19 }, bufferMinutes: 15 },
  );

const moscow = (day: string, hhmm: string) => zonedToUtc(`${day}T${hhmm}`, OWNER_ZONE).toISOString();

describe('a meeting from the owner’s calendar', () => {
  // First, on the test server's fresh clock (the later tests skip it ahead by days).
  it('tells the owner when the calendar cannot be read, and starts nothing', async () => {
    const boris = await newContact('Boris');
    await stack.run(async () => {
      const now = await stack.env.currentTimeMs();
      const day = dateAfter(now, 3);
      const request = `Find an hour with @${boris.username}`;
      starts.set(request, {
        user: `@${boris.username}`,
        type: 'meeting',
        brief: 'A short call.',
        meeting: { duration_minutes: 60, windows: [{ start: `${day}T12:00`, end: `${day}T20:00` }] },
      });
      await radicale.down();
      try {
        await stack.send(stack.owner, request);
        await waitUntil(
          () => textsTo(stack.owner.telegramId).some((t) => t.includes('could not read')),
          'owner told the calendar could not be read',
          120_000,
        );
        const answer = textsTo(stack.owner.telegramId).find((t) => t.includes('could not read'))!;
        expect(answer).toContain('could not read the owner');
        expect(answer).toContain('The calendar server could not be reached.');
        expect(await stack.db.negotiation.count({ where: { contactId: BigInt(boris.telegramId) } })).toBe(0);
        expect(textsTo(boris.telegramId)).toHaveLength(0);
      } finally {
        await radicale.restart();
      }
    });
  }, 240_000);

  it('offers free times, skips a time taken meanwhile, books the agreed one with an invitation, moves it, and cancels it once', async () => {
    const anna = await newContact('Anna');
    await stack.run(async () => {
      // 11:00 in Berlin on the server's clock, whatever the hour the suite runs at.
      const now = await skipToLocalHour(stack.env, 11, CONTACT_ZONE);
      const [day3, day4] = [dateAfter(now, 3), dateAfter(now, 4)];
      await radicale.putEvent(work, 'lunch', busyEvent('lunch', day3, '12:00', '13:00'));
      const request = `Find an hour with @${anna.username} on ${day3} or ${day4}, 12 to 20`;
      starts.set(request, {
        user: `@${anna.username}`,
        type: 'meeting',
        brief: 'A one-hour call about the autumn catalogue.',
        meeting: {
          duration_minutes: 60,
          windows: [
            { start: `${day3}T12:00`, end: `${day3}T20:00` },
            { start: `${day4}T12:00`, end: `${day4}T20:00` },
          ],
          place: 'Zoom',
        },
      });
      await stack.send(stack.owner, request);
      await stack.telegram.waitForMessages(anna.telegramId, 1);
      const task = await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(anna.telegramId) } });

      // Options from free working time (10–19 Moscow), 15 minutes clear of the 12:00–13:00 lunch,
      // in both zones: 13:30 and 15:30 on day 3, 12:00 on day 4.
      const [opening] = textsTo(anna.telegramId);
      const offered = [
        [day3, '13:30', '14:30'],
        [day3, '15:30', '16:30'],
        [day4, '12:00', '13:00'],
      ].map(([d, from, to]) => formatSpanInZones(moscow(d!, from!), moscow(d!, to!), [OWNER_ZONE, CONTACT_ZONE]));
      expect(opening).toContain(`Offer these options first (from Olga's calendar): ${offered.join('; ')}.`);
      const ownerNote = textsTo(stack.owner.telegramId).find((t) => t.includes('offering from your calendar'));
      expect(ownerNote).toBeDefined();

      // Anna picks the first option; before she confirms, that hour is taken in another calendar.
      await stack.send(anna, `propose ${day3}T11:30 ${day3}T12:30 ${CONTACT_ZONE}`);
      await waitUntil(() => textsTo(anna.telegramId).some((t) => t.includes('That time works')), 'time works');
      await radicale.putEvent(personal, 'dentist', busyEvent('dentist', day3, '13:00', '14:00'));
      await stack.send(anna, 'confirm');
      await waitUntil(() => textsTo(anna.telegramId).some((t) => t.includes('was just taken')), 'slot taken');
      const taken = textsTo(anna.telegramId).find((t) => t.includes('was just taken'))!;
      expect(taken).toMatch(/offer .*15:30 \(Europe\/Moscow\)/);
      expect((await stack.db.negotiation.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('in_progress');
      expect(await ownerCalendar().storedEvent(task.id)).toBeUndefined();
      expect(filesTo(anna.telegramId)).toHaveLength(0);

      // The next option: agreed, re-checked (free), booked, and the invitation sent.
      await stack.send(anna, `propose ${day3}T13:30 ${day3}T14:30 ${CONTACT_ZONE}`);
      await waitUntil(
        () => textsTo(anna.telegramId).filter((t) => t.includes('That time works')).length === 2,
        'works',
      );
      await stack.send(anna, 'confirm');
      await until(task.id, 'completed');
      await waitUntil(() => filesTo(anna.telegramId).length === 1, 'invitation sent');
      const stored = await ownerCalendar().storedEvent(task.id);
      expect(stored).toBeDefined();
      const event = new ICAL.Event(ICAL.Component.fromString(stored!).getFirstSubcomponent('vevent')!);
      expect(event.startDate.toJSDate().toISOString()).toBe(moscow(day3, '15:30'));
      expect(event.endDate.toJSDate().toISOString()).toBe(moscow(day3, '16:30'));
      expect(event.location).toBe('Zoom');
      expect(String(event.component.getFirstPropertyValue('x-jobs-negotiation'))).toBe(task.id);

      const [invitation] = filesTo(anna.telegramId);
      expect(invitation!.file!.fileName).toBe('invite.ics');
      expect(invitation!.text).toContain('13:30 (Europe/Berlin)'); // her local time first
      const invite = ICAL.Component.fromString(invitation!.file!.content);
      expect(invite.getFirstPropertyValue('method')).toBe('REQUEST');
      const invited = new ICAL.Event(invite.getFirstSubcomponent('vevent')!);
      expect(invited.startDate.toJSDate().toISOString()).toBe(moscow(day3, '15:30'));
      expect(invited.endDate.toJSDate().toISOString()).toBe(moscow(day3, '16:30'));
      expect(invited.uid).toBe(event.uid);
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => t.includes('✅ Meeting with Anna')),
        'owner told',
      );

      // The owner moves it to day 4, 12:00 Moscow: the same event, updated, and a new invitation (SEQUENCE 1).
      await stack.send(stack.owner, `move it to ${day4}T12:00 ${day4}T13:00`);
      await waitUntil(() => filesTo(anna.telegramId).length === 2, 'updated invitation sent');
      const moved = new ICAL.Event(
        ICAL.Component.fromString((await ownerCalendar().storedEvent(task.id))!).getFirstSubcomponent('vevent')!,
      );
      expect(moved.uid).toBe(event.uid);
      expect(moved.startDate.toJSDate().toISOString()).toBe(moscow(day4, '12:00'));
      const update = ICAL.Component.fromString(filesTo(anna.telegramId)[1]!.file!.content);
      expect(update.getFirstPropertyValue('method')).toBe('REQUEST');
      expect(update.getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).toBe(1);
      expect(filesTo(anna.telegramId)[1]!.text).toContain('10:00 (Europe/Berlin)');
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => t.includes('Moved the meeting with Anna')),
        'owner told of the move',
      );

      // The owner cancels: the event is removed and Anna gets METHOD:CANCEL, once.
      await stack.send(stack.owner, 'cancel it');
      await until(task.id, 'cancelled');
      await waitUntil(() => filesTo(anna.telegramId).length === 3, 'cancellation sent');
      expect(await ownerCalendar().storedEvent(task.id)).toBeUndefined();
      const cancel = ICAL.Component.fromString(filesTo(anna.telegramId)[2]!.file!.content);
      expect(cancel.getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).toBe(2);
      expect(cancel.getFirstPropertyValue('method')).toBe('CANCEL');
      expect(new ICAL.Event(cancel.getFirstSubcomponent('vevent')!).uid).toBe(event.uid);
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => t.includes('removed from your calendar')),
        'owner told of the cancellation',
      );

      // Over: the workflow has ended, and a day later nothing more was sent.
      const handle = stack.env.client.workflow.getHandle(negotiationWorkflowId(task.id));
      expect((await handle.result()).status).toBe('cancelled');
      await stack.env.sleep(24 * 3600_000);
      expect(filesTo(anna.telegramId)).toHaveLength(3);
      expect((await handle.query(negotiationStatusQuery)).status).toBe('cancelled');

      const history = await handle.fetchHistory();
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
        history,
        task.id,
      );
      if (process.env.RECORD_HISTORIES === '1') {
        mkdirSync(join(REPO_ROOT, 'tests', 'histories'), { recursive: true });
        writeFileSync(join(REPO_ROOT, 'tests', 'histories', 'negotiation-calendar.json'), historyToJSON(history));
      }
    });
  });

  it('agrees a meeting with three people in Moscow, Berlin and New York through a decline and a silent guest', async () => {
    const guests = {
      dmitri: await newContact('Dmitri', 'Europe/Moscow'),
      anna: await newContact('Anna', 'Europe/Berlin'),
      chen: await newContact('Chen', 'America/New_York'),
    };
    const { dmitri, anna, chen } = guests;
    const everyone = [dmitri, anna, chen];
    await stack.run(async () => {
      const now = await skipToLocalHour(stack.env, 11, CONTACT_ZONE);
      const [day3, day4] = [dateAfter(now, 3), dateAfter(now, 4)];
      const request = `Set up one hour with Dmitri, Anna and Chen (${day3})`;
      starts.set(request, {
        user: `@${dmitri.username}`,
        more_users: [`@${anna.username}`, `@${chen.username}`],
        type: 'meeting',
        brief: 'A one-hour kick-off for the joint project.',
        meeting: {
          duration_minutes: 60,
          // 16:00–20:00 Moscow is 14:00 in Berlin and 08:00 in New York; working hours end at 19:00.
          windows: [
            { start: `${day3}T16:00`, end: `${day3}T20:00` },
            { start: `${day4}T16:00`, end: `${day4}T20:00` },
          ],
        },
      });
      await stack.send(stack.owner, request);
      for (const guest of everyone) await stack.telegram.waitForMessages(guest.telegramId, 1);
      const task = await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(dmitri.telegramId) } });
      const handle = stack.env.client.workflow.getHandle(negotiationWorkflowId(task.id));
      const view = () => handle.query(negotiationStatusQuery);
      const first = formatSpanInZones(moscow(day3, '16:00'), moscow(day3, '17:00'), ['America/New_York', OWNER_ZONE]);
      // Each guest is asked in their own chat, in their own time zone first.
      expect(textsTo(chen.telegramId)[0]).toContain(`Propose ${first}`);
      expect(textsTo(anna.telegramId)[0]).toContain('14:00 (Europe/Berlin)');

      // Anna says yes; Dmitri cannot make it: everyone is asked about the next option (18:00 Moscow).
      await stack.send(anna, 'confirm');
      await waitUntil(async () => (await view()).guests?.[1]?.status === 'confirmed', 'Anna confirmed');
      await stack.send(dmitri, 'decline');
      await waitUntil(
        () => textsTo(stack.owner.telegramId).some((t) => /Dmitri \(@\w+\) can't make/.test(t)),
        'owner told of the decline',
      );
      for (const guest of everyone) {
        await waitUntil(
          () => textsTo(guest.telegramId).some((t) => t.includes('does not work for everyone')),
          `${guest.firstName} asked again`,
        );
      }
      expect(textsTo(anna.telegramId).find((t) => t.includes('does not work for everyone'))).toContain(
        '16:00 (Europe/Berlin)',
      );
      expect((await view()).guests!.map((g) => g.status)).toEqual(['waiting', 'waiting', 'waiting']);

      // Anna and Dmitri confirm the new time; Chen stays silent and is reminded in his daytime.
      await stack.send(anna, 'confirm');
      await stack.send(dmitri, 'confirm');
      await waitUntil(
        async () => (await view()).guests!.filter((g) => g.status === 'confirmed').length === 2,
        'two confirmed',
      );
      expect(filesTo(anna.telegramId)).toHaveLength(0); // not booked before everyone has confirmed
      expect(await ownerCalendar().storedEvent(task.id)).toBeUndefined();
      await stack.env.sleep(36 * 3600_000);
      await waitUntil(async () => (await view()).guests?.[2]?.nudges === 1, 'Chen reminded');
      const reminderAt = await lastInstructionTo(
        await handle.fetchHistory(),
        chen.telegramId,
        stack.dataConverter.payloadCodecs ?? [],
      );
      expect(hourInZone(reminderAt, 'America/New_York')).toBeGreaterThanOrEqual(9);
      expect(hourInZone(reminderAt, 'America/New_York')).toBeLessThan(21);

      // The owner sees where everyone stands.
      await stack.send(stack.owner, 'how is it going?');
      await waitUntil(
        () =>
          textsTo(stack.owner.telegramId).some((t) =>
            /Guests: Dmitri \(@\w+\) confirmed, Anna \(@\w+\) confirmed, Chen \(@\w+\) hasn't answered — nudged once/.test(
              t,
            ),
          ),
        'status per guest',
      );

      // Chen confirms last: the calendar is checked again, the meeting booked, everyone invited.
      await stack.send(chen, 'confirm');
      await until(task.id, 'completed');
      for (const guest of everyone) await waitUntil(() => filesTo(guest.telegramId).length === 1, 'invited');
      const stored = ICAL.Component.fromString((await ownerCalendar().storedEvent(task.id))!);
      const event = new ICAL.Event(stored.getFirstSubcomponent('vevent')!);
      expect(event.startDate.toJSDate().toISOString()).toBe(moscow(day3, '18:00'));
      expect(event.attendees.map((a) => String(a.getParameter('cn')).split(' ')[0])).toEqual([
        'Dmitri',
        'Anna',
        'Chen',
      ]);
      const chenInvite = filesTo(chen.telegramId)[0]!;
      expect(chenInvite.text).toContain('10:00 (America/New_York)');
      const invited = new ICAL.Event(
        ICAL.Component.fromString(chenInvite.file!.content).getFirstSubcomponent('vevent')!,
      );
      expect(invited.startDate.toJSDate().toISOString()).toBe(moscow(day3, '18:00'));
      expect((await view()).guests!.map((g) => g.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
      await waitUntil(
        () =>
          textsTo(stack.owner.telegramId).some((t) =>
            /✅ Meeting agreed with Dmitri \(@\w+\), Anna \(@\w+\), Chen/.test(t),
          ),
        'owner told',
      );

      // Over once the meeting has taken place; the history replays.
      await stack.env.sleep(4 * 24 * 3600_000);
      expect((await handle.result()).status).toBe('completed');
      const recorded = await handle.fetchHistory();
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
        recorded,
        task.id,
      );
      if (process.env.RECORD_HISTORIES === '1') {
        mkdirSync(join(REPO_ROOT, 'tests', 'histories'), { recursive: true });
        writeFileSync(join(REPO_ROOT, 'tests', 'histories', 'group-meeting.json'), historyToJSON(recorded));
      }
    });
  }, 240_000);
});
