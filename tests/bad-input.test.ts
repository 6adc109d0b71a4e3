// Bad input and failing dependencies get a clear answer, lose nothing, and leave the
// session healthy for the next message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionWorkflowId } from '../contracts/session.ts';
import { Replies } from '../workflows/replies.ts';
import { sessionStatusQuery } from '../contracts/session.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';
import type { TestStack } from './support/stack.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ MAX_MESSAGE_CHARS: '16000' });
  stack.claude.script = (req) => say(`echo: ${lastUserTexts(req).join(' | ').slice(0, 40)}`);
});

afterAll(async () => {
  await stack?.teardown();
});

async function expectHealthy(telegramId: number, since: number) {
  await stack.send({ telegramId, firstName: 'X' }, 'are you still there?');
  const [reply] = await stack.telegram.waitForMessages(telegramId, 1, since);
  expect(reply!.text).toBe('echo: are you still there?');
  const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(telegramId));
  await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'session idle again');
}

describe('bad input', () => {
  it('answers an empty message without calling Claude', async () => {
    const dan = stack.newContact('Dan');
    const before = stack.claude.requests.length;
    await stack.run(async () => {
      await stack.send(dan, '   \n\t  ');
      const [reply] = await stack.telegram.waitForMessages(dan.telegramId, 1);
      expect(reply!.text).toBe(Replies.emptyMessage);
      expect(stack.claude.requests.length).toBe(before);
      await expectHealthy(dan.telegramId, 1);
    });
  });

  it('reads the first part of a 100,000-character message, says so, and keeps the whole text', async () => {
    const erin = stack.newContact('Erin');
    const huge = 'lorem ipsum '.repeat(8334).slice(0, 100_000);
    await stack.run(async () => {
      await stack.send(erin, huge);
      const [notice, reply] = await stack.telegram.waitForMessages(erin.telegramId, 2);
      expect(notice!.text).toBe(Replies.truncated(100_000, 16_000));
      expect(reply!.text).toMatch(/^echo: lorem ipsum/);
      const [text] = lastUserTexts(stack.claude.requests.at(-1)!);
      expect(text!.startsWith(huge.slice(0, 16_000).trim())).toBe(true);
      expect(text).toContain('[This message was cut: 100000 characters were sent');
      await expectHealthy(erin.telegramId, 2);
    });
    const stored = await stack.db.incomingMessage.findMany({ where: { chatId: BigInt(erin.telegramId) } });
    expect(stored.map((m) => m.text.length)).toContain(100_000);
  });

  it('strips control characters and binary junk, and answers junk-only messages clearly', async () => {
    const finn = stack.newContact('Finn');
    await stack.run(async () => {
      await stack.send(finn, 'he\u0000llo\u0007 wor\u001bld\uD800');
      const [first] = await stack.telegram.waitForMessages(finn.telegramId, 1);
      expect(first!.text).toBe('echo: hello world');
      await stack.send(finn, '\u0000\u0001\u0002\u0003\uDFFF\uFFFE');
      const [, second] = await stack.telegram.waitForMessages(finn.telegramId, 2);
      expect(second!.text).toBe(Replies.emptyMessage);
      await expectHealthy(finn.telegramId, 2);
    });
  });

  it('processes a redelivered message (same Telegram message id) once', async () => {
    const gina = stack.newContact('Gina');
    await stack.run(async () => {
      const message = { from: gina, messageId: 424242, text: 'only once please' };
      await stack.gateway.receive(message);
      await stack.gateway.receive(message);
      await stack.telegram.waitForMessages(gina.telegramId, 1);
      await expectHealthy(gina.telegramId, 1);
    });
    expect(stack.telegram.messagesTo(gina.telegramId).map((m) => m.text)).toEqual([
      'echo: only once please',
      'echo: are you still there?',
    ]);
  });
});

describe('Claude failures', () => {
  it('ends the turn with a polite reply when Claude rejects the request (400), and recovers', async () => {
    const hal = stack.newContact('Hal');
    const normal = stack.claude.script;
    stack.claude.script = (req, i) =>
      lastUserTexts(req).includes('poison')
        ? { status: 400, errorType: 'invalid_request_error', message: 'messages: bad content' }
        : normal(req, i);
    try {
      await stack.run(async () => {
        await stack.send(hal, 'poison');
        const [reply] = await stack.telegram.waitForMessages(hal.telegramId, 1);
        expect(reply!.text).toBe(Replies.claudeRejected);
        await expectHealthy(hal.telegramId, 1);
      });
    } finally {
      stack.claude.script = normal;
    }
    // A 400 is final: asked once, not retried; and the rejected message is not carried on.
    const poisoned = stack.claude.requests.filter((r) => JSON.stringify(r.body.messages).includes('poison'));
    expect(poisoned).toHaveLength(1);
  });

  it('retries an overloaded Claude (529 with retry-after) and then answers', async () => {
    const ivy = stack.newContact('Ivy');
    const normal = stack.claude.script;
    let overloaded = 0;
    stack.claude.script = (req, i) =>
      lastUserTexts(req).includes('busy day?') && overloaded++ < 2
        ? { status: 529, errorType: 'overloaded_error', message: 'Overloaded', headers: { 'retry-after': '1' } }
        : normal(req, i);
    try {
      await stack.run(async () => {
        await stack.send(ivy, 'busy day?');
        const [reply] = await stack.telegram.waitForMessages(ivy.telegramId, 1);
        expect(reply!.text).toBe('echo: busy day?');
      });
    } finally {
      stack.claude.script = normal;
    }
    expect(overloaded).toBe(3);
  });
});

describe('sending', () => {
  it('delivers a reply once when the send activity is retried after a lost acknowledgement', async () => {
    const jay = stack.newContact('Jay');
    stack.telegram.afterDelivery = (message, attempt) => {
      if (message.chatId === jay.telegramId && attempt === 1) throw new Error('connection reset before the ack');
    };
    try {
      await stack.run(async () => {
        await stack.send(jay, 'hello');
        await stack.telegram.waitForMessages(jay.telegramId, 1);
        // The retry happens after the failure: wait until it has been seen.
        await waitUntil(() => stack.telegram.attempts.filter((a) => a.chatId === jay.telegramId).length >= 2);
      });
    } finally {
      stack.telegram.afterDelivery = undefined;
    }
    const attempts = stack.telegram.attempts.filter((a) => a.chatId === jay.telegramId);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.idempotencyKey).toBe(attempts[0]!.idempotencyKey);
    expect(stack.telegram.messagesTo(jay.telegramId)).toHaveLength(1);
  });
});
