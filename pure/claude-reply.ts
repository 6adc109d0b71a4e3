// Every model reply is judged here before it may enter a session's history: a reply the
// Messages API would refuse to read back (empty content, whitespace-only text) would
// poison every later request, and a reply that stopped for a reason other than "done"
// (max_tokens, refusal, pause_turn) must not pass for a finished answer. Pure functions.
import type { ContentBlock } from '../contracts/domain.ts';

type ToolUse = Extract<ContentBlock, { type: 'tool_use' }>;

/** Continuations of one reply (max_tokens, pause_turn) before it is taken as it is. */
export const MAX_CONTINUATIONS = 2;
/** Empty replies asked again before the fallback sentence stands in. */
export const MAX_EMPTY_RETRIES = 1;
/**
 * A tool input larger than this (as JSON) is not kept: it would ride along in every later
 * request and could push an activity result past Temporal's 2 MB payload limit.
 */
export const MAX_TOOL_INPUT_CHARS = 50_000;
/** The key that marks a tool input replaced because it was too large; such a call is never run. */
export const CUT_INPUT_KEY = 'input_not_kept';

export const ReplyTexts = {
  /** Stands in for a reply that stayed empty; valid content itself, so history stays sound. */
  empty: 'Sorry, I came up with no answer just now. Could you say that again, perhaps in other words?',
  refusal: "I'm sorry, I can't help with that.",
  cutToolCall:
    'I started a step whose instructions ran past my length limit, so I did not carry it out. Could you ask for it in smaller parts?',
  cutText: '[…my answer was cut off here: it reached the length limit. Ask me to go on if you need the rest.]',
  paused: '[…I had to stop before finishing. Ask me to go on.]',
} as const;

/** What the API answered, reduced to the blocks Jobs replays. */
export interface RawReply {
  content: ContentBlock[];
  stopReason: string | null;
}

/** What was already tried for this reply. */
export interface ReplyAttempts {
  emptyRetries: number;
  continuations: number;
}

export type ReplyVerdict =
  /** Safe to keep: non-empty, valid, final. */
  | { kind: 'accept'; content: ContentBlock[]; outcome: ReplyOutcome }
  /** Empty: ask the same question again. */
  | { kind: 'retry' }
  /** Unfinished (max_tokens with text, pause_turn): ask again with `prefill` as the assistant's start. */
  | { kind: 'continue'; prefill: ContentBlock[] };

/** How the reply ended, for the logs and the tests. */
export type ReplyOutcome =
  'answer' | 'tool_calls' | 'empty_fallback' | 'refusal' | 'cut_tool_call' | 'cut_text' | 'paused';

/** Drops whitespace-only text (the API refuses to read it back) and caps oversized tool inputs. */
export function cleanReplyBlocks(blocks: ContentBlock[]): ContentBlock[] {
  const out: ContentBlock[] = [];
  for (const block of blocks) {
    if (block.type === 'text') {
      if (block.text.trim()) out.push(block);
    } else if (block.type === 'tool_use') {
      out.push(capToolInput(block));
    }
  }
  return out;
}

/** A tool call whose input is too large keeps its id and name, and says why its input is gone. */
export function capToolInput(use: ToolUse): ToolUse {
  const size = JSON.stringify(use.input ?? {}).length;
  if (size <= MAX_TOOL_INPUT_CHARS) return use;
  return {
    ...use,
    input: {
      [CUT_INPUT_KEY]: `The input was ${size.toLocaleString('en-US')} characters, over the limit of ${MAX_TOOL_INPUT_CHARS.toLocaleString('en-US')}; it was not kept and the tool was not run. Send it in smaller pieces.`,
    },
  };
}

/** The result a cut tool call gets instead of running; undefined for a normal call. */
export function cutToolCallResult(use: ToolUse): string | undefined {
  const note = use.input?.[CUT_INPUT_KEY];
  return typeof note === 'string' ? note : undefined;
}

/** Decides what to do with one reply. `reply.content` is the cleaned blocks of the whole reply so far. */
export function judgeReply(reply: RawReply, attempts: ReplyAttempts): ReplyVerdict {
  const content = cleanReplyBlocks(reply.content);
  const texts = content.filter((b) => b.type === 'text');
  const toolUses = content.filter((b) => b.type === 'tool_use');

  switch (reply.stopReason) {
    case 'refusal':
      // Whatever was produced before the refusal is not the answer, and no tool runs on it.
      return accept([text(ReplyTexts.refusal)], 'refusal');
    case 'max_tokens':
      // The last block was cut mid-way: a tool call cut short is never run.
      if (toolUses.length > 0) return accept([...texts, text(ReplyTexts.cutToolCall)], 'cut_tool_call');
      if (texts.length > 0 && attempts.continuations < MAX_CONTINUATIONS) return { kind: 'continue', prefill: texts };
      if (texts.length > 0) return accept([...texts, text(ReplyTexts.cutText)], 'cut_text');
      break;
    case 'pause_turn':
      if (attempts.continuations < MAX_CONTINUATIONS) return { kind: 'continue', prefill: content };
      if (toolUses.length === 0 && texts.length > 0) return accept([...texts, text(ReplyTexts.paused)], 'paused');
      break;
    default:
      break;
  }
  if (toolUses.length > 0) return accept(content, 'tool_calls');
  if (texts.length > 0) return accept(content, 'answer');
  if (attempts.emptyRetries < MAX_EMPTY_RETRIES) return { kind: 'retry' };
  return accept([text(ReplyTexts.empty)], 'empty_fallback');
}

/**
 * The prefill an unfinished reply continues from. The API refuses a final assistant
 * message that ends in whitespace, so the last text is trimmed at its end.
 */
export function prefillMessage(prefill: ContentBlock[]): ContentBlock[] {
  const blocks = prefill.map((b) => b);
  const last = blocks.at(-1);
  if (last?.type === 'text') blocks[blocks.length - 1] = { type: 'text', text: last.text.trimEnd() };
  return blocks.filter((b) => b.type !== 'text' || b.text.length > 0);
}

/** A continuation goes on where the prefill stopped: its first text joins the prefill's last text. */
export function joinContinuation(prefill: ContentBlock[], next: ContentBlock[]): ContentBlock[] {
  const head = prefillMessage(prefill);
  const last = head.at(-1);
  const first = next[0];
  if (last?.type === 'text' && first?.type === 'text') {
    return [...head.slice(0, -1), { type: 'text', text: last.text + first.text }, ...next.slice(1)];
  }
  return [...head, ...next];
}

function accept(content: ContentBlock[], outcome: ReplyOutcome): ReplyVerdict {
  return { kind: 'accept', content, outcome };
}

function text(t: string): ContentBlock {
  return { type: 'text', text: t };
}
