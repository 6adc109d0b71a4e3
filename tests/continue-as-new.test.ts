// Continue-as-new under a steady stream of messages: every message is answered exactly
// once across run boundaries, including the ones that arrive while the run hands over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessionWorkflowId } from '../contracts/session.ts';
import { sessionStatusQuery } from '../contracts/session.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ SESSION_TURNS_PER_RUN: '3', SESSION_HISTORY_TOKENS: '1000' });
  stack.claude.script = (req) => say(`got: ${lastUserTexts(req).join('|')}`);
});

afterAll(async () => {
  await stack?.teardown();
});

it('loses and repeats nothing across continue-as-new under a steady stream', async () => {
  const kim = stack.newContact('Kim');
  const texts = Array.from({ length: 24 }, (_, i) => `m${i + 1}`);
  const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(kim.telegramId));
  const answered = () =>
    stack.telegram.messagesTo(kim.telegramId).flatMap((m) => m.text.replace(/^got: /, '').split('|'));
  await stack.run(async () => {
    // The first six one at a time: six turns, so at least two runs end by continuing as
    // new however slowly the machine schedules (a burst may be merged into one turn).
    for (const [i, text] of texts.slice(0, 6).entries()) {
      await stack.send(kim, text);
      await waitUntil(() => answered().length > i, `answer to ${text}`);
    }
    // Then a steady stream, so messages also arrive while a run hands over to the next.
    for (const text of texts.slice(6)) {
      await stack.send(kim, text);
      await new Promise((r) => setTimeout(r, 25));
    }
    await waitUntil(() => answered().length >= texts.length, 'every message answered');
    await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'session idle');
    expect(answered()).toEqual(texts);
    const status = await handle.query(sessionStatusQuery);
    expect(status.runsCompleted).toBeGreaterThanOrEqual(2);
    expect(status.historyTokens).toBeLessThanOrEqual(1000);
  });
  // Earlier runs really ended by continuing as new.
  let continued = 0;
  for await (const wf of stack.env.client.workflow.list({
    query: `WorkflowId = '${sessionWorkflowId(kim.telegramId)}'`,
  })) {
    if (wf.status.name === 'CONTINUED_AS_NEW') continued += 1;
  }
  expect(continued).toBeGreaterThanOrEqual(2);
});
