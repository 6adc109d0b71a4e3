// The history budget (pure/history-budget.ts) and the cache layout (pure/prompt-layout.ts):
// cuts in blocks at a turn's start, so the kept part stays byte-identical for many turns.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts/domain.ts';
import { estimateTokens, planCut, transcriptOf } from '../pure/history-budget.ts';
import { layOutMessages, stableToolOrder, SUMMARY_HEADING, TURN_CONTEXT_HEADING } from '../pure/prompt-layout.ts';
import { checkMessagesRequest } from './support/messages-api-rules.ts';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });
const turns = (n: number): ChatMessage[] =>
  Array.from({ length: n }, (_, i) => [
    user(`question ${i} ${'q'.repeat(100)}`),
    assistant(`answer ${i} ${'a'.repeat(500)}`),
  ]).flat();

describe('planCut', () => {
  it('leaves a history within budget alone', () => {
    expect(planCut(turns(3), 10_000)).toBeUndefined();
  });

  it('cuts back to about half the budget, at the start of a turn', () => {
    const history = turns(40);
    const budget = 4000;
    expect(estimateTokens(history)).toBeGreaterThan(budget);
    const plan = planCut(history, budget)!;
    expect(plan.cut.length + plan.kept.length).toBe(history.length);
    expect(plan.kept[0]!.role).toBe('user');
    expect(estimateTokens(plan.kept)).toBeLessThanOrEqual(budget / 2);
    expect(estimateTokens(plan.kept)).toBeGreaterThan(budget / 2 - 400);
  });

  it('never separates a tool result from its call, and keeps one oversized turn whole', () => {
    const big = 'z'.repeat(40_000);
    const history: ChatMessage[] = [
      ...turns(2),
      user('save this'),
      { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'memory_save', input: { text: big } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'saved' }] },
      assistant('Saved.'),
    ];
    const plan = planCut(history, 2000)!;
    expect(plan.kept[0]).toEqual(user('save this'));
    expect(plan.kept).toHaveLength(4);
  });

  it('writes a plain transcript of the cut part for the summariser', () => {
    const text = transcriptOf(
      [
        user('I prefer afternoons'),
        { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'memory_save', input: { text: 'x' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] },
      ],
      'Owner',
    );
    expect(text).toBe('Owner: I prefer afternoons\nAssistant used memory_save: {"text":"x"}\nTool result: ok');
  });
});

describe('layOutMessages', () => {
  it('opens with the summary, marks the end of the conversation, and puts volatile facts after it', () => {
    const laid = layOutMessages([user('hi'), assistant('hello'), user('today?')], 'They like tea.', [
      'Today is Monday.',
    ]);
    expect(laid[0]!.content[0]).toEqual({ type: 'text', text: `${SUMMARY_HEADING}\nThey like tea.]` });
    const last = laid.at(-1)!.content;
    expect(last[0]).toMatchObject({ text: 'today?', cache_control: { type: 'ephemeral' } });
    expect(last[1]).toEqual({ type: 'text', text: `${TURN_CONTEXT_HEADING}\nToday is Monday.]` });
    const body = { model: 'm', max_tokens: 10, messages: laid };
    expect(checkMessagesRequest(body, 100)).toBeUndefined();
  });

  it('keeps tool results first in the last message, and leaves the input untouched', () => {
    const input: ChatMessage[] = [
      user('look'),
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'x', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'r' }] },
    ];
    const laid = layOutMessages(input, undefined, ['Today is Monday.']);
    expect(laid.at(-1)!.content.map((b) => b.type)).toEqual(['tool_result', 'text']);
    const body = {
      model: 'm',
      max_tokens: 10,
      tools: [{ name: 'x', input_schema: { type: 'object' } }],
      messages: laid,
    };
    expect(checkMessagesRequest(body, 100)).toBeUndefined();
    expect(JSON.stringify(input)).not.toContain('cache_control');
  });

  it('orders tools by name', () => {
    expect(stableToolOrder([{ name: 'b' }, { name: 'a' }, { name: 'c' }]).map((t) => t.name)).toEqual(['a', 'b', 'c']);
  });
});
