// Nothing silently forgotten: over a 300-turn conversation the history stays within its
// token budget, and what was cut lives on in the running summary (carried across
// continue-as-new, shown in sessionStatus, placed at the start of the history).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { SUMMARY_HEADING } from '../pure/prompt-layout.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const BUDGET = 1500;
let stack: TestStack;
const isSummaryCall = (r: RecordedRequest) =>
  typeof r.body.system === 'string' && r.body.system.includes('running summary');

beforeAll(async () => {
  stack = await createTestStack({
    SESSION_HISTORY_TOKENS: String(BUDGET),
    SESSION_TURNS_PER_RUN: '60',
    CLAUDE_SUMMARY_MODEL: 'claude-small-test',
  });
  stack.claude.script = (req) => {
    if (isSummaryCall(req)) {
      // A faithful summariser for the test: it keeps every stated fact, old and new.
      const input = req.body.messages[0].content as string;
      const facts = [...new Set([...input.matchAll(/fact: ([^\n|]+)/g)].map((m) => m[1]!.trim()))];
      return say(facts.length ? facts.map((f) => `fact: ${f}`).join('\n') : 'Small talk only.');
    }
    return say(`Noted: ${lastUserTexts(req).join(' ').slice(0, 40)}. ${'More words. '.repeat(30)}`);
  };
});

afterAll(async () => {
  await stack?.teardown();
});

describe('history budget and running summary', () => {
  it(
    'keeps a fact from turn 5 in the summary at turn 300, with the history within budget',
    { timeout: 900_000 },
    async () => {
      const ivy = stack.newContact('Ivy');
      await stack.run(async () => {
        for (let turn = 1; turn <= 300; turn++) {
          const text =
            turn === 5
              ? 'fact: I prefer afternoons for meetings'
              : `message ${turn}: ${'just chatting about the weather. '.repeat(3)}`;
          await stack.send(ivy, text);
          await stack.telegram.waitForMessages(ivy.telegramId, turn);
        }
        const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(ivy.telegramId));
        const status = await handle.query(sessionStatusQuery);
        expect(status.turn).toBe(300);
        expect(status.runsCompleted).toBeGreaterThanOrEqual(4);
        expect(status.summary).toContain('I prefer afternoons for meetings');
        expect(status.historyTokens).toBeLessThanOrEqual(BUDGET);
      });
      const mine = stack.claude.requests.filter(
        (r) => !isSummaryCall(r) && JSON.stringify(r.body.system).includes('Ivy'),
      );
      const last = mine.at(-1)!;
      const first = last.body.messages[0].content[0];
      expect(first.text.startsWith(SUMMARY_HEADING)).toBe(true);
      expect(first.text).toContain('I prefer afternoons for meetings');
      // Turn 5 itself is long gone from the history: only the summary remembers it.
      const rest = [last.body.messages[0].content.slice(1), ...last.body.messages.slice(1)];
      expect(JSON.stringify(rest)).not.toContain('afternoons');
      expect(JSON.stringify(rest)).not.toContain('message 6:');
      const summaries = stack.claude.requests.filter(isSummaryCall);
      expect(summaries.length).toBeGreaterThan(10);
      expect(summaries.every((r) => r.body.model === 'claude-small-test')).toBe(true);
      expect(stack.claude.rejected).toEqual([]);
    },
  );

  it('replays a session that folded its history (and records it for tests/replay.test.ts)', async () => {
    const jon = stack.newContact('Jon');
    await stack.run(async () => {
      for (let turn = 1; turn <= 12; turn++) {
        await stack.send(jon, `message ${turn}: ${'a few words about the garden. '.repeat(3)}`);
        await stack.telegram.waitForMessages(jon.telegramId, turn);
      }
      const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(jon.telegramId));
      await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'session idle');
      expect((await handle.query(sessionStatusQuery)).summary).not.toBe('');
    });
    const history = await stack.env.client.workflow.getHandle(sessionWorkflowId(jon.telegramId)).fetchHistory();
    const options = { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter };
    await Worker.runReplayHistory(options, history, 'session-summary-fresh');
    if (process.env.RECORD_HISTORIES === '1') {
      mkdirSync(join(REPO_ROOT, 'tests', 'histories'), { recursive: true });
      writeFileSync(join(REPO_ROOT, 'tests', 'histories', 'session-summary.json'), historyToJSON(history));
    }
  });
});
