// How a request to Claude is laid out so that Anthropic's prompt cache holds: the cache
// serves the longest byte-identical prefix (tools, then system, then messages) that ends
// at a cache breakpoint, looked up to 20 blocks before each breakpoint. So the stable
// parts come first and never change turn to turn (a sorted tool list, a system prompt
// without dates or statuses, the running summary, the history), the breakpoint sits on
// the last block of the conversation itself, and what changes every turn (today's date,
// a contact's conversation statuses, recalled memories) comes after it. Pure functions.
import type { ChatMessage, ContentBlock } from '../contracts/domain.ts';

export type CacheControl = { type: 'ephemeral' };
export type LaidOutBlock = ContentBlock & { cache_control?: CacheControl };
export interface LaidOutMessage {
  role: 'user' | 'assistant';
  content: LaidOutBlock[];
}

export const EPHEMERAL: CacheControl = { type: 'ephemeral' };
/** How the turn's context block and the summary block begin (tests tell them from the person's words). */
export const TURN_CONTEXT_HEADING = '[Context for this turn, not from the person:';
export const SUMMARY_HEADING = '[Summary of our earlier conversation, which is no longer shown in full:';

/** The text that carries the running summary at the start of the history. */
export function summaryText(summary: string): string {
  return `${SUMMARY_HEADING}\n${summary}]`;
}

/**
 * The messages of one request: the summary opens the history, a breakpoint marks the end
 * of the conversation so far, and the volatile facts follow it in the last user message.
 */
export function layOutMessages(
  messages: ChatMessage[],
  summary: string | undefined,
  volatile: string[],
): LaidOutMessage[] {
  const out: LaidOutMessage[] = messages.map((m) => ({ role: m.role, content: m.content.map((b) => ({ ...b })) }));
  if (summary?.trim()) {
    const first = out[0];
    const block: LaidOutBlock = { type: 'text', text: summaryText(summary.trim()) };
    // A user message that opens with tool results must keep them first; history never starts so.
    if (first?.role === 'user' && first.content[0]?.type !== 'tool_result') first.content.unshift(block);
    else out.unshift({ role: 'user', content: [block] });
  }
  const last = out.at(-1);
  const lastBlock = last?.content.at(-1);
  if (lastBlock) lastBlock.cache_control = EPHEMERAL;
  const facts = volatile.filter((v) => v.trim());
  if (last?.role === 'user' && facts.length > 0) {
    last.content.push({ type: 'text', text: `${TURN_CONTEXT_HEADING}\n${facts.join('\n')}]` });
  }
  return out;
}

/** Tools in a fixed order (by name), so the same set is always the same bytes. */
export function stableToolOrder<T extends { name: string }>(tools: T[]): T[] {
  return [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
