// The reply checks (pure/claude-reply.ts): no reply the API would refuse to read back
// enters history, and no reply that stopped early passes for a finished one.
import { describe, expect, it } from 'vitest';
import type { ContentBlock } from '../contracts/domain.ts';
import {
  CUT_INPUT_KEY,
  cutToolCallResult,
  joinContinuation,
  judgeReply,
  MAX_TOOL_INPUT_CHARS,
  prefillMessage,
  ReplyTexts,
} from '../pure/claude-reply.ts';
import { checkMessagesRequest } from './support/messages-api-rules.ts';

const text = (t: string): ContentBlock => ({ type: 'text', text: t });
const use = (input: Record<string, unknown> = {}): ContentBlock => ({
  type: 'tool_use',
  id: 't1',
  name: 'memory_save',
  input,
});
const fresh = { emptyRetries: 0, continuations: 0 };
const spent = { emptyRetries: 1, continuations: 2 };

/** Would the real API accept this reply back in history, followed by the next message? */
function readableAgain(content: ContentBlock[]): boolean {
  const body = {
    model: 'm',
    max_tokens: 10,
    tools: [{ name: 'memory_save', input_schema: { type: 'object' } }],
    messages: [
      { role: 'user', content: [text('hi')] },
      { role: 'assistant', content },
      content.some((b) => b.type === 'tool_use')
        ? { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] }
        : { role: 'user', content: [text('and now?')] },
    ],
  };
  return checkMessagesRequest(body, 100) === undefined;
}

describe('judgeReply', () => {
  it('asks again once on empty or whitespace-only content, then stands in with a valid sentence', () => {
    for (const content of [[], [text('  \n ')], [text(''), text('\t')]]) {
      expect(judgeReply({ content, stopReason: 'end_turn' }, fresh)).toEqual({ kind: 'retry' });
      const last = judgeReply({ content, stopReason: 'end_turn' }, spent);
      expect(last).toMatchObject({ kind: 'accept', outcome: 'empty_fallback', content: [text(ReplyTexts.empty)] });
      if (last.kind === 'accept') expect(readableAgain(last.content)).toBe(true);
    }
  });

  it('drops blank text beside real content', () => {
    const verdict = judgeReply({ content: [text(' '), text('Hello'), text('\n')], stopReason: 'end_turn' }, fresh);
    expect(verdict).toEqual({ kind: 'accept', outcome: 'answer', content: [text('Hello')] });
  });

  it('never runs a tool call cut off by max_tokens, and says so', () => {
    const verdict = judgeReply(
      { content: [text('Saving that.'), use({ text: 'half' })], stopReason: 'max_tokens' },
      fresh,
    );
    expect(verdict).toEqual({
      kind: 'accept',
      outcome: 'cut_tool_call',
      content: [text('Saving that.'), text(ReplyTexts.cutToolCall)],
    });
    if (verdict.kind === 'accept') expect(readableAgain(verdict.content)).toBe(true);
  });

  it('continues a text cut by max_tokens, then reports the cut honestly', () => {
    expect(judgeReply({ content: [text('The list: one, ')], stopReason: 'max_tokens' }, fresh)).toEqual({
      kind: 'continue',
      prefill: [text('The list: one, ')],
    });
    expect(judgeReply({ content: [text('The list: one, two')], stopReason: 'max_tokens' }, spent)).toEqual({
      kind: 'accept',
      outcome: 'cut_text',
      content: [text('The list: one, two'), text(ReplyTexts.cutText)],
    });
  });

  it('answers a refusal plainly and runs nothing', () => {
    expect(judgeReply({ content: [text('I will'), use()], stopReason: 'refusal' }, fresh)).toEqual({
      kind: 'accept',
      outcome: 'refusal',
      content: [text(ReplyTexts.refusal)],
    });
    expect(judgeReply({ content: [], stopReason: 'refusal' }, fresh)).toMatchObject({ outcome: 'refusal' });
  });

  it('continues a paused turn, and after the limit keeps what there is', () => {
    expect(judgeReply({ content: [text('Searching')], stopReason: 'pause_turn' }, fresh)).toMatchObject({
      kind: 'continue',
    });
    expect(judgeReply({ content: [text('Searching')], stopReason: 'pause_turn' }, spent)).toMatchObject({
      kind: 'accept',
      outcome: 'paused',
    });
  });

  it('replaces an oversized tool input with a note, and such a call is never run', () => {
    const huge = { text: 'x'.repeat(3_000_000) };
    const verdict = judgeReply({ content: [use(huge)], stopReason: 'tool_use' }, fresh);
    expect(verdict.kind).toBe('accept');
    if (verdict.kind !== 'accept') return;
    const block = verdict.content[0] as Extract<ContentBlock, { type: 'tool_use' }>;
    expect(Object.keys(block.input)).toEqual([CUT_INPUT_KEY]);
    expect(JSON.stringify(verdict.content).length).toBeLessThan(1000);
    expect(cutToolCallResult(block)).toMatch(/3,000,011 characters, over the limit .* not run/);
    expect(cutToolCallResult(use({ text: 'y'.repeat(MAX_TOOL_INPUT_CHARS - 20) }) as never)).toBeUndefined();
  });
});

describe('continuations', () => {
  it('prefills without trailing whitespace (the API refuses it) and joins the continuation seamlessly', () => {
    expect(prefillMessage([text('Part one, ')])).toEqual([text('Part one,')]);
    expect(joinContinuation([text('Part one, ')], [text(' part two.')])).toEqual([text('Part one, part two.')]);
  });
});
