// What an operator sees: negotiation workflows carry typed search attributes and a
// readable summary, so "all in-progress meetings with this contact" is one query, in
// the Temporal UI or with `temporal workflow list --query`.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { negotiationStatusQuery, negotiationWorkflowId, SearchAttributes } from '../contracts/negotiation.ts';
import { negotiationWorld } from './support/negotiation-world.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

let stack: TestStack;
const starts = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  stack = await createTestStack({ OWNER_TIMEZONE: 'Europe/Moscow' });
  stack.claude.script = negotiationWorld({ starts });
});

afterAll(async () => {
  await stack?.teardown();
});

it('finds in-progress meetings with a contact by search attributes, with a summary and a status query', async () => {
  const hana = stack.newContact('Hana');
  await stack.db.user.create({
    data: { telegramId: BigInt(hana.telegramId), firstName: 'Hana', username: hana.username },
  });
  const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  starts.set('meet Hana', {
    user: `@${hana.username}`,
    type: 'meeting',
    brief: 'Agree on a 30-minute call.',
    meeting: { duration_minutes: 30, windows: [{ start: `${tomorrow}T12:00`, end: `${tomorrow}T20:00` }] },
  });
  const query = `WorkflowType = 'negotiationWorkflow' AND JobsNegotiationType = 'meeting' AND JobsNegotiationStatus = 'in_progress' AND JobsContact = '${hana.telegramId}'`;
  await stack.run(async () => {
    await stack.send(stack.owner, 'meet Hana');
    await stack.telegram.waitForMessages(hana.telegramId, 1);
    const task = await stack.db.negotiation.findFirstOrThrow({ where: { contactId: BigInt(hana.telegramId) } });

    const found: string[] = [];
    await waitUntil(async () => {
      found.length = 0;
      for await (const wf of stack.env.client.workflow.list({ query })) found.push(wf.workflowId);
      return found.length > 0;
    }, 'visible by search attributes');
    expect(found).toEqual([negotiationWorkflowId(task.id)]);

    // The same query from the Temporal CLI an operator would use.
    const cli = spawnSync(
      inject('temporalCliPath'),
      ['workflow', 'list', '--address', stack.env.address, '--query', query, '--output', 'json'],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(negotiationWorkflowId(task.id));

    const handle = stack.env.client.workflow.getHandle(negotiationWorkflowId(task.id));
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`meeting with Hana (@${hana.username}) for Olga`);
    expect(await description.staticDetails()).toContain('**Brief:** Agree on a 30-minute call.');
    expect(description.typedSearchAttributes.get(SearchAttributes.owner)).toBe(String(stack.owner.telegramId));
    expect((await handle.query(negotiationStatusQuery)).status).toBe('in_progress');
  });
});
