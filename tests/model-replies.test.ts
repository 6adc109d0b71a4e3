// Real model behaviour through the real @anthropic-ai/sdk against the scripted Messages
// API: replies that are empty, blank, cut off, refused or oversized, and a refused API key,
// each leave the session healthy, and nothing is sent that the real API would refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionStatusQuery, sessionWorkflowId } from '../contracts/session.ts';
import { ReplyTexts } from '../pure/claude-reply.ts';
import { Replies } from '../workflows/replies.ts';
import { lastUserTexts, say, toolResults } from './support/scripted-claude.ts';
import type { RecordedRequest, ScriptedReply } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import type { InboundSender } from '../gateway/core.ts';
import { waitUntil } from './support/wait.ts';

let stack: TestStack;
/** Special answers by the person's words; anything else is echoed. */
const scenes = new Map<string, (req: RecordedRequest, attempt: number) => ScriptedReply>();
const attempts = new Map<string, number>();

beforeAll(async () => {
  stack = await createTestStack();
  stack.claude.script = (req) => {
    const said = lastUserTexts(req).join(' | ');
    const scene = [...scenes.entries()].find(([key]) => said.includes(key));
    if (!scene) return say(`echo: ${said.slice(0, 60)}`);
    const n = (attempts.get(scene[0]) ?? 0) + 1;
    attempts.set(scene[0], n);
    return scene[1](req, n);
  };
});

afterAll(async () => {
  await stack?.teardown();
});

async function idle(telegramId: number) {
  const handle = stack.env.client.workflow.getHandle(sessionWorkflowId(telegramId));
  await waitUntil(async () => !(await handle.query(sessionStatusQuery)).busy, 'session idle', 60_000);
}

/** The next normal message is answered, and no request so far was one the real API refuses. */
async function expectHealthy(person: InboundSender, repliesSoFar: number) {
  await stack.send(person, 'are you still there?');
  const replies = await stack.telegram.waitForMessages(person.telegramId, repliesSoFar + 1);
  expect(replies.at(-1)!.text).toBe('echo: are you still there?');
  await idle(person.telegramId);
  expect(stack.claude.rejected).toEqual([]);
}

const textsTo = (telegramId: number) => stack.telegram.messagesTo(telegramId).map((m) => m.text);

describe('model replies', () => {
  it('asks again after an empty reply, and stands in with a valid sentence if it stays empty', async () => {
    const dana = stack.newContact('Dana');
    scenes.set('say nothing', () => ({ content: [], stopReason: 'end_turn' }));
    scenes.set('blank once', (_req, n) =>
      n === 1 ? { content: [{ type: 'text', text: ' \n\t' }] } : say('Here now.'),
    );
    await stack.run(async () => {
      await stack.send(dana, 'say nothing');
      const [fallback] = await stack.telegram.waitForMessages(dana.telegramId, 1);
      expect(fallback!.text).toBe(ReplyTexts.empty);
      expect(attempts.get('say nothing')).toBe(2);
      await idle(dana.telegramId);
      await stack.send(dana, 'blank once');
      const [, second] = await stack.telegram.waitForMessages(dana.telegramId, 2);
      expect(second!.text).toBe('Here now.');
      await idle(dana.telegramId);
      await expectHealthy(dana, 2);
    });
  });

  it('never runs a tool call cut off by max_tokens, and says so', async () => {
    const max = stack.newContact('Max');
    scenes.set('pass this on', () => ({
      content: [
        { type: 'text', text: 'Passing it on.' },
        { type: 'tool_use', name: 'send_summary_to_owner', input: { summary: 'Max says' } },
      ],
      stopReason: 'max_tokens',
    }));
    await stack.run(async () => {
      await stack.send(max, 'pass this on');
      const [reply] = await stack.telegram.waitForMessages(max.telegramId, 1);
      expect(reply!.text).toBe(`Passing it on.\n\n${ReplyTexts.cutToolCall}`);
      await idle(max.telegramId);
      await expectHealthy(max, 1);
    });
    const audit = await stack.db.toolCall.findMany({ where: { telegramId: BigInt(max.telegramId) } });
    expect(audit).toEqual([]);
  });

  it('continues a text cut by max_tokens from where it stopped', async () => {
    const tess = stack.newContact('Tess');
    scenes.set('tell a story', (_req, n) =>
      n === 1 ? { content: [{ type: 'text', text: 'Once upon ' }], stopReason: 'max_tokens' } : say(' a time.'),
    );
    await stack.run(async () => {
      await stack.send(tess, 'tell a story');
      const [reply] = await stack.telegram.waitForMessages(tess.telegramId, 1);
      expect(reply!.text).toBe('Once upon a time.');
      await idle(tess.telegramId);
    });
    const continuation = stack.claude.requests.find(
      (r) => lastUserTexts(r).includes('tell a story') && r.body.messages.at(-1).role === 'assistant',
    )!;
    expect(continuation.body.messages.at(-1).content).toEqual([{ type: 'text', text: 'Once upon' }]);
  });

  it('answers a refusal plainly', async () => {
    const rick = stack.newContact('Rick');
    scenes.set('something forbidden', () => ({ content: [{ type: 'text', text: '' }], stopReason: 'refusal' }));
    await stack.run(async () => {
      await stack.send(rick, 'something forbidden');
      const [reply] = await stack.telegram.waitForMessages(rick.telegramId, 1);
      expect(reply!.text).toBe(ReplyTexts.refusal);
      await idle(rick.telegramId);
      await expectHealthy(rick, 1);
    });
  });

  it('keeps a 3 MB tool input out of history and does not run the call', async () => {
    scenes.set('remember this novel', (req) =>
      toolResults(req).length === 0
        ? { content: [{ type: 'tool_use', name: 'memory_save', input: { text: 'x'.repeat(3_000_000) } }] }
        : say(`tool said: ${String(toolResults(req)[0].content).slice(0, 40)}`),
    );
    await stack.run(async () => {
      await stack.send(stack.owner, 'remember this novel');
      const [reply] = await stack.telegram.waitForMessages(stack.owner.telegramId, 1);
      expect(reply!.text).toMatch(/^tool said: The input was 3,000,011 characters/);
      await idle(stack.owner.telegramId);
      await expectHealthy(stack.owner, 1);
    });
    const last = stack.claude.requests.at(-1)!;
    expect(JSON.stringify(last.body).length).toBeLessThan(200_000);
    const audit = await stack.db.toolCall.findMany({ where: { telegramId: BigInt(stack.owner.telegramId) } });
    expect(audit).toEqual([]);
  });

  it('tells the owner once that the API key is not accepted, keeps the messages, and recovers', async () => {
    let keyValid = false;
    const before = textsTo(stack.owner.telegramId).length;
    const previous = stack.claude.script;
    stack.claude.script = (req, i) =>
      keyValid ? previous(req, i) : { status: 401, errorType: 'authentication_error', message: 'invalid x-api-key' };
    await stack.run(async () => {
      await stack.send(stack.owner, 'first while broken');
      await stack.telegram.waitForMessages(stack.owner.telegramId, before + 1);
      expect(textsTo(stack.owner.telegramId).at(-1)).toBe(Replies.apiKeyRejected);
      await idle(stack.owner.telegramId);
      await stack.send(stack.owner, 'second while broken');
      const asked = () => stack.claude.requests.filter((r) => lastUserTexts(r).includes('second while broken'));
      await waitUntil(() => asked().length > 0, 'second message sent to Claude');
      await idle(stack.owner.telegramId);
      // Not retried (one request), and not told again.
      expect(asked()).toHaveLength(1);
      expect(textsTo(stack.owner.telegramId)).toHaveLength(before + 1);
      keyValid = true;
      await stack.send(stack.owner, 'third, key fixed');
      await stack.telegram.waitForMessages(stack.owner.telegramId, before + 2);
      expect(textsTo(stack.owner.telegramId).at(-1)).toBe('echo: third, key fixed');
    });
    const answered = stack.claude.requests.at(-1)!;
    const history = JSON.stringify(answered.body.messages);
    expect(history).toContain('first while broken');
    expect(history).toContain('second while broken');
    stack.claude.script = previous;
  });
});
