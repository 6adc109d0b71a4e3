// The scripted Messages API must refuse what the real one refuses and bill caching the
// way the real one does; otherwise every model-facing test would prove less than it says.
import { describe, expect, it } from 'vitest';
import { checkMessagesRequest } from './support/messages-api-rules.ts';
import { PromptCache } from './support/prompt-cache.ts';

const tool = (name: string) => ({ name, description: 'd', input_schema: { type: 'object' } });
const request = (messages: unknown[], extra: Record<string, unknown> = {}) => ({
  model: 'claude-test',
  max_tokens: 100,
  tools: [tool('lookup')],
  messages,
  ...extra,
});
const check = (body: unknown) => checkMessagesRequest(body, JSON.stringify(body).length)?.message;
const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const text = (t: string) => ({ type: 'text', text: t });
const use = (id: string) => ({ type: 'tool_use', id, name: 'lookup', input: {} });
const result = (id: string) => ({ type: 'tool_result', tool_use_id: id, content: 'ok' });

describe('Messages API rules', () => {
  it('accepts a well-formed conversation with a tool round', () => {
    expect(check(request([user(text('hi')), assistant(use('t1')), user(result('t1'), text('and?'))]))).toBeUndefined();
  });

  it('refuses empty content, whitespace-only text and blank system text', () => {
    expect(check(request([user(text('hi')), assistant(), user(text('again'))]))).toMatch(
      /messages\.1: all messages must have non-empty content/,
    );
    expect(check(request([user(text('hi')), assistant(text('  \n')), user(text('again'))]))).toMatch(
      /non-whitespace text/,
    );
    expect(check(request([user(text('hi'))], { system: [{ type: 'text', text: ' ' }] }))).toMatch(/system/);
    // A final assistant message may be empty (a prefill), but may not end in whitespace.
    expect(check(request([user(text('hi')), assistant()]))).toBeUndefined();
    expect(check(request([user(text('hi')), assistant(text('Once upon'))]))).toBeUndefined();
    expect(check(request([user(text('hi')), assistant(text('Once upon '))]))).toMatch(/trailing whitespace/);
  });

  it('refuses unpaired, misplaced and duplicate tool blocks', () => {
    expect(check(request([user(text('hi')), assistant(use('t1')), user(text('no result'))]))).toMatch(
      /without `tool_result` blocks immediately after: t1/,
    );
    expect(check(request([user(text('hi')), assistant(text('x')), user(result('t9'))]))).toMatch(
      /unexpected `tool_use_id`/,
    );
    expect(check(request([user(text('hi')), assistant(use('t1')), user(text('first'), result('t1'))]))).toMatch(
      /must come before any other content/,
    );
    expect(
      check(
        request([user(text('a')), assistant(use('t1')), user(result('t1')), assistant(use('t1')), user(result('t1'))]),
      ),
    ).toMatch(/ids must be unique/);
    expect(check(request([user(text('hi')), assistant(use('t1')), user(result('t1'))], { tools: [] }))).toMatch(
      /must define tools/,
    );
  });

  it('refuses duplicate or malformed tool names, too many breakpoints and oversized requests', () => {
    expect(check(request([user(text('hi'))], { tools: [tool('a'), tool('a')] }))).toMatch(/Tool names must be unique/);
    expect(check(request([user(text('hi'))], { tools: [tool('files.read')] }))).toMatch(/should match pattern/);
    expect(check(request([user(text('hi'))], { tools: [tool('x'.repeat(65))] }))).toMatch(/should match pattern/);
    const marked = { ...text('hi'), cache_control: { type: 'ephemeral' } };
    expect(check(request([user(marked, marked, marked, marked, marked)]))).toMatch(
      /maximum of 4 blocks with cache_control/,
    );
    expect(checkMessagesRequest(request([user(text('hi'))]), 33 * 1024 * 1024)?.status).toBe(413);
  });
});

describe('prompt cache emulation', () => {
  const big = 'x'.repeat(5000); // ~1,250 tokens: above the 1,024-token minimum
  const cached = (t: string) => ({ type: 'text', text: t, cache_control: { type: 'ephemeral' } });

  it('writes a long enough prefix once and reads it back while it stays byte-identical', () => {
    const cache = new PromptCache();
    const first = cache.use({ system: [cached(big)], messages: [user(text('one'))] });
    expect(first.cache_read_input_tokens).toBe(0);
    expect(first.cache_creation_input_tokens).toBeGreaterThan(1024);
    const second = cache.use({ system: [cached(big)], messages: [user(text('two'))] });
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
    expect(second.cache_creation_input_tokens).toBe(0);
    const changed = cache.use({ system: [cached(`${big}!`)], messages: [user(text('two'))] });
    expect(changed.cache_read_input_tokens).toBe(0);
  });

  it('caches nothing under the minimum, and finds an earlier prefix up to 20 blocks back', () => {
    const cache = new PromptCache();
    expect(cache.use({ system: [cached('short')], messages: [user(text('a'))] }).cache_creation_input_tokens).toBe(0);
    expect(cache.use({ system: [cached('short')], messages: [user(text('a'))] }).cache_read_input_tokens).toBe(0);

    const turns = (n: number) => Array.from({ length: n }, (_, i) => text(`message ${i} ${'y'.repeat(400)}`));
    const conversation = (n: number) => {
      const blocks: Array<Record<string, unknown>> = turns(n);
      blocks[n - 1] = { ...blocks[n - 1], cache_control: { type: 'ephemeral' } };
      return { system: [text(big)], messages: [user(...blocks)] };
    };
    const written = cache.use(conversation(10));
    expect(written.cache_creation_input_tokens).toBeGreaterThan(0);
    // Twenty-five blocks after the old breakpoint: out of the lookback's reach.
    expect(cache.use(conversation(35)).cache_read_input_tokens).toBe(0);
    // Ten blocks after it: found.
    expect(cache.use(conversation(20)).cache_read_input_tokens).toBe(written.cache_creation_input_tokens);
  });
});
