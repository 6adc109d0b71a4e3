// The session's own bookkeeping, as plain logic: history trimming never orphans a tool
// result, redelivered messages are dropped, and a flood of notices stays bounded.
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../contracts/domain.ts';
import { SessionState, trimHistory } from '../workflows/session-state.ts';

const user = (text: string): ChatMessage => ({ role: 'user', content: [{ type: 'text', text }] });
const assistant = (text: string): ChatMessage => ({ role: 'assistant', content: [{ type: 'text', text }] });
const toolUse: ChatMessage = {
  role: 'assistant',
  content: [{ type: 'tool_use', id: 't1', name: 'list_contacts', input: {} }],
};
const toolResult: ChatMessage = {
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: 't1', content: 'none' }],
};

describe('SessionState', () => {
  it('trims history at a person’s own message, never between a tool call and its result', () => {
    const conversation = [
      user('a'),
      assistant('b'),
      user('c'),
      toolUse,
      toolResult,
      assistant('d'),
      user('e'),
      assistant('f'),
    ];
    expect(trimHistory(conversation, 5)).toEqual([user('e'), assistant('f')]);
    expect(trimHistory(conversation, 6)).toEqual([
      user('c'),
      toolUse,
      toolResult,
      assistant('d'),
      user('e'),
      assistant('f'),
    ]);
    expect(trimHistory(conversation, 100)).toBe(conversation);
  });

  it('drops a redelivered message or notice', () => {
    const state = new SessionState();
    const message = { messageId: 7, text: 'hi', originalLength: 2, truncated: false, sentAt: '2026-11-21T00:00:00Z' };
    state.enqueueMessage(message);
    state.enqueueMessage(message);
    const notice = { noticeId: 'n1', fromTelegramId: 1, fromName: 'A', text: 'x' };
    state.enqueueNotice(notice);
    state.enqueueNotice(notice);
    expect(state.takeInbox()).toHaveLength(2);
  });

  it('keeps the newest 20 context lines and counts the rest, across continue-as-new', () => {
    const state = new SessionState();
    for (let i = 1; i <= 25; i++) state.addContext(`notice ${i}`);
    const carried = new SessionState(state.snapshot());
    const lines = carried.contextLines();
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('[5 earlier notices not shown]');
    expect(lines[1]).toBe('notice 6');
    expect(lines.at(-1)).toBe('notice 25');
    carried.clearContext();
    expect(carried.contextLines()).toEqual([]);
  });
});
