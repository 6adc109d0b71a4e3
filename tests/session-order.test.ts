// The session reads a person's messages in sending order (Telegram message ids), whatever
// order their signals arrive in; an older message arriving after a newer one was answered
// is read as a late follow-up, never dropped. Signals go straight to the real workflow on a
// real Temporal dev server, out of order on purpose. The recorded history of this run
// (tests/histories/session-sending-order.json) keeps the patched path replayable.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import type { MessageReceivedInput } from '../contracts/session.ts';
import type { InboundSender } from '../gateway/core.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack();
});

afterAll(async () => {
  await stack?.teardown();
});

// Sent a second apart, in message id order, some time ago (as Telegram dates them).
const SENT_BASE = Date.now() - 10_000_000;

function message(messageId: number, text: string): MessageReceivedInput {
  const sentAt = new Date(SENT_BASE + messageId * 1000).toISOString();
  return { messageId, text, originalLength: text.length, truncated: false, sentAt };
}

/** Claude's answer to the next request waits until the test lets it go; the rest answer at once. */
function holdNextAnswer(): () => void {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const heldIndex = stack.claude.requests.length;
  stack.claude.script = async (req, index) => {
    if (index === heldIndex) await released;
    return say(`seen: ${lastUserTexts(req).join(' | ')}`);
  };
  return release;
}

describe('messages in sending order', () => {
  it('reads signals that arrive out of order in the order the person sent them, and a late one as a follow-up', async () => {
    const person: InboundSender = stack.newContact('Vera');
    const to = { telegramId: person.telegramId, displayName: 'Vera' };
    const deliver = (id: number, text: string) => stack.sessions.deliverMessage(to, message(id, text));
    const base = 5000;
    const requestsBefore = stack.claude.requests.length;
    const release = holdNextAnswer();
    const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(person.telegramId));
    let requests: RecordedRequest[] = [];
    let turns = 0;

    await stack.run(async () => {
      // The voice note's transcript is the second message: its signal comes after the text.
      await deliver(base + 20, 'second: and what do you think?');
      await stack.claude.waitForRequests(requestsBefore + 1);
      // While Claude thinks, the rest arrive scrambled: the oldest last.
      await deliver(base + 50, 'fifth');
      await deliver(base + 30, 'third');
      await deliver(base + 40, 'fourth');
      await deliver(base + 10, 'first: here is my plan');
      await waitUntil(async () => (await handle.query(sessionStatusQuery)).queued === 4, 'all four queued');
      release();
      await stack.telegram.waitForMessages(person.telegramId, 1);
      await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'turn finished');

      // A message sent before what was just answered, delivered only now (a slow download).
      await deliver(base + 45, 'a late photo caption');
      await stack.telegram.waitForMessages(person.telegramId, 2);
      await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'follow-up answered');
      requests = stack.claude.requests.slice(requestsBefore);
      turns = (await handle.query(sessionStatusQuery)).turn;
    });

    // Claude re-read the turn with everything that arrived, in sending order, and answered once.
    expect(lastUserTexts(requests[1]!)).toEqual([
      'first: here is my plan',
      'second: and what do you think?',
      'third',
      'fourth',
      'fifth',
    ]);
    const replies = stack.telegram.messagesTo(person.telegramId);
    expect(replies[0]!.text).toBe(
      'seen: first: here is my plan | second: and what do you think? | third | fourth | fifth',
    );
    // The late one is not dropped: it gets a turn of its own, marked as sent earlier.
    expect(lastUserTexts(requests.at(-1)!)).toEqual([
      '[Sent earlier, before the messages already answered, but delivered only now]: a late photo caption',
    ]);
    expect(replies).toHaveLength(2);
    expect(turns).toBe(2);

    const history = await handle.fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
      history,
      'sending-order',
    );
    if (process.env.RECORD_HISTORIES === '1') {
      mkdirSync(join(REPO_ROOT, 'tests', 'histories'), { recursive: true });
      writeFileSync(join(REPO_ROOT, 'tests', 'histories', 'session-sending-order.json'), historyToJSON(history));
    }
  });
});
