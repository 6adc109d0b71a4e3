// Cutting a secret out of a conversation by position (pure/redaction.ts): the activity
// finds it, the workflow replaces it, without the value ever travelling between them.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts/domain.ts';
import { applyRedactions, findRedactions, redactedValues, redactValues } from '../pure/redaction.ts';

const conversation: ChatMessage[] = [
  { role: 'user', content: [{ type: 'text', text: 'hello' }] },
  { role: 'assistant', content: [{ type: 'text', text: 'hi' }] },
  {
    role: 'user',
    content: [{ type: 'text', text: 'token sk-abcdef123, again sk-abcdef123; header Bearer sk-abcdef123' }],
  },
];

describe('redaction', () => {
  it('finds every occurrence, the longest value first, and replaces them all', () => {
    const spans = findRedactions(conversation, ['sk-abcdef123', 'Bearer sk-abcdef123']);
    expect(spans).toHaveLength(3);
    expect(spans.every((s) => s.message === 2 && s.block === 0)).toBe(true);
    const [, , last] = applyRedactions(conversation, spans, '[secret stored]');
    expect(last!.content[0]).toEqual({
      type: 'text',
      text: 'token [secret stored], again [secret stored]; header [secret stored]',
    });
  });

  it('leaves a conversation alone without spans, and skips spans that do not fit', () => {
    expect(applyRedactions(conversation, undefined, 'x')).toBe(conversation);
    const out = applyRedactions(conversation, [{ message: 0, block: 0, start: 3, length: 99 }], 'x');
    expect(out[0]!.content[0]).toEqual({ type: 'text', text: 'hello' });
  });

  it('gives the workflow the values it holds, to cut them from its other copies (the owner words)', () => {
    const spans = findRedactions(conversation, ['sk-abcdef123']);
    const values = redactedValues(conversation, spans);
    expect(values).toEqual(['sk-abcdef123']);
    expect(redactValues('add it, token sk-abcdef123', values, '[secret stored]')).toBe('add it, token [secret stored]');
  });
});
