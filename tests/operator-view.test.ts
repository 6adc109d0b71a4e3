// What an operator sees in the Temporal UI (read through the client: describe(), the
// workflow metadata query the UI uses for current details, typed search attributes):
// each workflow type says in words what it is and where it stands.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { temporal } from '@temporalio/proto';
import { heartbeatWorkflowId } from '../contracts/heartbeat.ts';
import { negotiationWorkflowId, SearchAttributes } from '../contracts/negotiation.ts';
import { recurringScheduleId, reminderWorkflowId } from '../contracts/reminder.ts';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { ensureHeartbeat } from '../worker/heartbeat-starter.ts';
import { endsWithToolResult, isOwnerRequest, negotiationWorld } from './support/negotiation-world.ts';
import { lastUserTexts, useTool } from './support/scripted-claude.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

let stack: TestStack;
const starts = new Map<string, Record<string, unknown>>();
const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
const ownerTools: Record<string, [string, Record<string, unknown>]> = {
  'remind me to call mom': ['set_reminder', { text: 'call mom', at: `${tomorrow}T09:00` }],
  'standup every weekday': ['schedule_recurring', { text: 'standup notes', days: ['weekdays'], time: '09:30' }],
};

beforeAll(async () => {
  stack = await createTestStack({ OWNER_TIMEZONE: 'Europe/Moscow', HEARTBEAT_INTERVAL_MINUTES: '30' });
  const world = negotiationWorld({ starts });
  stack.claude.script = (request: RecordedRequest) => {
    const tool = ownerTools[lastUserTexts(request).at(-1) ?? ''];
    if (isOwnerRequest(request) && !endsWithToolResult(request) && tool) return useTool(...tool);
    return world(request);
  };
});

afterAll(async () => {
  await stack?.teardown();
});

/** The current details, as the Web UI reads them (the built-in metadata query). */
async function currentDetails(workflowId: string): Promise<string> {
  const metadata = await stack.env.client.workflow
    .getHandle(workflowId)
    .query<temporal.api.sdk.v1.IWorkflowMetadata>('__temporal_workflow_metadata');
  return metadata.currentDetails ?? '';
}

it('names every workflow in words and shows where it stands', async () => {
  const hana = stack.newContact('Hana');
  await stack.db.user.create({
    data: { telegramId: BigInt(hana.telegramId), firstName: 'Hana', username: hana.username },
  });
  starts.set('meet Hana', {
    user: `@${hana.username}`,
    type: 'meeting',
    brief: 'Agree on a 30-minute call.',
    meeting: { duration_minutes: 30, windows: [{ start: `${tomorrow}T12:00`, end: `${tomorrow}T20:00` }] },
  });

  await stack.run(async () => {
    await stack.send(stack.owner, 'remind me to call mom');
    await stack.telegram.waitForMessages(stack.owner.telegramId, 1);
    await stack.send(stack.owner, 'standup every weekday');
    await stack.telegram.waitForMessages(stack.owner.telegramId, 2);
    await stack.send(stack.owner, 'meet Hana');
    await stack.telegram.waitForMessages(hana.telegramId, 1);
    const task = await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(hana.telegramId) } });
    const negotiationId = negotiationWorkflowId(task.id);
    // While it waits for Hana: the list of what is due soon finds it, by its next reminder.
    const dueSoon = `WorkflowType = 'negotiationWorkflow' AND JobsNextActionAt < '${new Date(Date.now() + 30 * 86400_000).toISOString()}'`;
    const found: string[] = [];
    await waitUntil(async () => {
      found.length = 0;
      for await (const wf of stack.env.client.workflow.list({ query: dueSoon })) found.push(wf.workflowId);
      return found.length > 0;
    }, 'listed by JobsNextActionAt');
    expect(found).toEqual([negotiationId]);
    const waiting = await stack.env.client.workflow.getHandle(negotiationId).describe();
    expect(waiting.typedSearchAttributes.get(SearchAttributes.nextActionAt)!.getTime()).toBeGreaterThan(Date.now());
    expect(await currentDetails(negotiationId)).toMatch(
      /Next: reminder to the contact \w{3}, \d{1,2} \w{3} \d{4}, \d\d:\d\d \(Europe\/Moscow\)/,
    );

    await stack.send(hana, `propose ${tomorrow}T14:00 ${tomorrow}T14:30 Europe/Moscow`);
    await waitUntil(
      () => stack.telegram.messagesTo(hana.telegramId).some((m) => m.text.includes('That time works')),
      'the time confirmed back to Hana',
    );
    await stack.send(hana, 'confirm');
    await waitUntil(async () => (await currentDetails(negotiationId)).includes('Agreed'), 'the negotiation agreed');

    // Sessions: who the chat is with; turns, tokens and estimated cost.
    const ownerSession = stack.env.client.workflow.getHandle(sessionWorkflowId(stack.owner.telegramId));
    expect(await (await ownerSession.describe()).staticSummary()).toBe(
      `Owner's chat (Olga (@${stack.owner.username}))`,
    );
    const hanaSession = stack.env.client.workflow.getHandle(sessionWorkflowId(hana.telegramId));
    expect(await (await hanaSession.describe()).staticSummary()).toBe(`Chat with Hana (@${hana.username})`);
    await waitUntil(async () => /turn [3-9]/.test(await currentDetails(ownerSession.workflowId)), 'owner turns shown');
    const ownerDetails = await currentDetails(ownerSession.workflowId);
    expect(ownerDetails).toMatch(/^\*\*owner\*\* · turn \d+/);
    expect(ownerDetails).toMatch(/tokens in .* out, ≈ \$0\.\d{4}/);
    const status = await ownerSession.query(sessionStatusQuery);
    expect(status.estimatedCostUsd).toBeGreaterThan(0);

    // The negotiation: who, where it stands, the agreed time in the owner's zone; filterable.
    const negotiation = stack.env.client.workflow.getHandle(negotiationId);
    const description = await negotiation.describe();
    expect(await description.staticSummary()).toBe(`meeting with Hana (@${hana.username}) for Olga`);
    const details = await currentDetails(negotiationId);
    expect(details).toMatch(/^\*\*completed\*\*/);
    expect(details).toContain('meeting with Hana');
    expect(details).toMatch(
      /\*\*Agreed:\*\* \w{3}, \d{1,2} \w{3} \d{4}, 14:00 \(Europe\/Moscow\) – 14:30 \(Europe\/Moscow\)/,
    );
    expect(description.typedSearchAttributes.get(SearchAttributes.contact)).toBe(String(hana.telegramId));
    expect(description.typedSearchAttributes.get(SearchAttributes.status)).toBe('completed');
    // Finished, nothing booked: nothing is due any more.
    expect(description.typedSearchAttributes.get(SearchAttributes.nextActionAt)).toBeUndefined();

    // A one-off reminder: local time and what.
    const reminder = await stack.db.reminder.findFirstOrThrow({
      where: { text: 'call mom', ownerId: BigInt(stack.owner.telegramId) },
    });
    const reminderSummary = await (
      await stack.env.client.workflow.getHandle(reminderWorkflowId(reminder.id)).describe()
    ).staticSummary();
    expect(reminderSummary).toMatch(
      /^Reminder for the owner, \w{3}, \d{1,2} \w{3} \d{4}, 09:00 \(Europe\/Moscow\): call mom$/,
    );

    // A recurring job: when, in words, and what.
    const job = await stack.db.reminder.findFirstOrThrow({
      where: { text: 'standup notes', ownerId: BigInt(stack.owner.telegramId) },
    });
    const schedule = await stack.env.client.schedule.getHandle(recurringScheduleId(job.id)).describe();
    expect(schedule.action.type === 'startWorkflow' && schedule.action.staticSummary).toBe(
      'Recurring job for the owner, every weekday (Monday to Friday) at 09:30 (Europe/Moscow): standup notes',
    );

    // The heartbeat.
    await ensureHeartbeat(stack.env.client, stack.config);
    const heartbeat = stack.env.client.workflow.getHandle(heartbeatWorkflowId(stack.owner.telegramId));
    expect(await (await heartbeat.describe()).staticSummary()).toBe("Owner's check-in every 30 min");
    await waitUntil(
      async () => (await currentDetails(heartbeat.workflowId)).includes('Next beat'),
      'heartbeat details',
    );
  });
});
