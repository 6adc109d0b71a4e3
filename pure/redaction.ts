// Cutting secret values out of a conversation by position: the activity that finds a
// secret reports where it is (message, block, offset), never the value, and the workflow
// replaces those spans in its own copy of the conversation, deterministically.
import type { ChatMessage, TextRedaction } from '../contracts/domain.ts';

/** Where each of `values` occurs in the conversation's text blocks. */
export function findRedactions(messages: ChatMessage[], values: string[]): TextRedaction[] {
  const found: TextRedaction[] = [];
  messages.forEach((message, m) =>
    message.content.forEach((block, b) => {
      if (block.type !== 'text') return;
      const taken: Array<[number, number]> = [];
      // Longest first, so a secret that contains another is cut whole.
      for (const value of [...values].sort((x, y) => y.length - x.length)) {
        if (!value) continue;
        for (let at = block.text.indexOf(value); at >= 0; at = block.text.indexOf(value, at + value.length)) {
          if (taken.some(([s, e]) => at < e && at + value.length > s)) continue;
          taken.push([at, at + value.length]);
          found.push({ message: m, block: b, start: at, length: value.length });
        }
      }
    }),
  );
  return found;
}

/** The texts the spans cover (the workflow already holds them): to cut them from its other copies too. */
export function redactedValues(messages: ChatMessage[], redactions: TextRedaction[] | undefined): string[] {
  const values = (redactions ?? []).map(({ message, block, start, length }) => {
    const b = messages[message]?.content[block];
    return b?.type === 'text' ? b.text.slice(start, start + length) : '';
  });
  return [...new Set(values.filter(Boolean))].sort((a, b) => b.length - a.length);
}

/** `text` with every one of `values` replaced by `placeholder`. */
export function redactValues(text: string, values: string[], placeholder: string): string {
  return values.reduce((t, v) => t.split(v).join(placeholder), text);
}

/** The conversation with every span replaced by `placeholder`; spans that no longer fit are skipped. */
export function applyRedactions(
  messages: ChatMessage[],
  redactions: TextRedaction[] | undefined,
  placeholder: string,
): ChatMessage[] {
  if (!redactions?.length) return messages;
  return messages.map((message, m) => {
    const here = redactions.filter((r) => r.message === m);
    if (here.length === 0) return message;
    return {
      ...message,
      content: message.content.map((block, b) => {
        if (block.type !== 'text') return block;
        // From the end, so earlier offsets stay valid.
        const spans = here.filter((r) => r.block === b).sort((x, y) => y.start - x.start);
        let text = block.text;
        for (const { start, length } of spans) {
          if (start < 0 || start + length > text.length) continue;
          text = text.slice(0, start) + placeholder + text.slice(start + length);
        }
        return { ...block, text };
      }),
    };
  });
}
