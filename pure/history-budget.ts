// A session's history is kept within a token budget, and cut in blocks: once it passes
// the budget it is cut back to about half, so the part that stays is byte-identical turn
// after turn (the prompt cache keeps serving it) until the budget is reached again. What
// is cut is not dropped silently: it is folded into the running summary (the caller's
// job). Pure functions: they run inside the workflow.
import type { ChatMessage, ContentBlock } from '../contracts/domain.ts';

/** What stays after a cut, as a share of the budget. */
export const KEEP_SHARE = 0.5;

/** Rough token count (4 characters a token), enough to keep proportions. */
export function estimateTokens(messages: ChatMessage[]): number {
  let chars = 0;
  for (const message of messages) chars += JSON.stringify(message.content).length;
  return Math.ceil(chars / 4);
}

export interface HistoryCut {
  /** The oldest messages, to fold into the summary. */
  cut: ChatMessage[];
  /** The newest messages, starting at a person's own words. */
  kept: ChatMessage[];
}

/** Where to cut a history over its budget, or undefined while it fits. */
export function planCut(history: ChatMessage[], budgetTokens: number): HistoryCut | undefined {
  if (estimateTokens(history) <= budgetTokens) return undefined;
  const target = budgetTokens * KEEP_SHARE;
  const sizes = history.map((m) => estimateTokens([m]));
  let tail = 0;
  let start = history.length;
  // Walk back from the newest message while the kept part fits the target; then forward to
  // a turn's start, so no tool_result is left without the tool_use it answers.
  while (start > 0 && tail + sizes[start - 1]! <= target) {
    start -= 1;
    tail += sizes[start]!;
  }
  let cutAt = start;
  while (cutAt < history.length && !startsAUserTurn(history[cutAt]!)) cutAt += 1;
  if (cutAt >= history.length) {
    // Even the newest turn is over the target: keep that turn whole rather than nothing.
    cutAt = lastTurnStart(history);
  }
  if (cutAt <= 0) return undefined;
  return { cut: history.slice(0, cutAt), kept: history.slice(cutAt) };
}

function lastTurnStart(history: ChatMessage[]): number {
  for (let i = history.length - 1; i >= 0; i--) if (startsAUserTurn(history[i]!)) return i;
  return 0;
}

export function startsAUserTurn(message: ChatMessage): boolean {
  return message.role === 'user' && !message.content.some((b: ContentBlock) => b.type === 'tool_result');
}

/** Characters of one block the summariser reads: enough for the gist, never a flood. */
const TRANSCRIPT_BLOCK_CHARS = 2000;

/** The cut messages as a plain transcript for the summariser (no tool pairing rules to break). */
export function transcriptOf(messages: ChatMessage[], personLabel: string): string {
  const lines: string[] = [];
  for (const message of messages) {
    for (const block of message.content) {
      if (block.type === 'text') {
        lines.push(`${message.role === 'user' ? personLabel : 'Assistant'}: ${clip(block.text)}`);
      } else if (block.type === 'tool_use') {
        lines.push(`Assistant used ${block.name}: ${clip(JSON.stringify(block.input))}`);
      } else {
        const text =
          typeof block.content === 'string'
            ? block.content
            : block.content.map((p) => (p.type === 'text' ? p.text : `[an image: ${p.file}]`)).join('\n');
        lines.push(`${block.is_error ? 'Tool error' : 'Tool result'}: ${clip(text)}`);
      }
    }
  }
  return lines.join('\n');
}

function clip(text: string): string {
  return text.length > TRANSCRIPT_BLOCK_CHARS ? `${text.slice(0, TRANSCRIPT_BLOCK_CHARS)} […]` : text;
}
