// The model writes Markdown; Telegram wants plain text plus entities, at most 4,096
// characters per message. Markdown is turned into the small HTML subset GramJS's own
// HTML parser understands, and that parser produces the entities.
import { HTMLParser } from 'telegram/extensions/html.js';
import type { Api } from 'telegram';

export const TELEGRAM_MAX_CHARS = 4096;

export interface FormattedPart {
  text: string;
  entities: Api.TypeMessageEntity[];
}

/** Splits Markdown into parts that fit one Telegram message each, then formats every part. */
export function formatForTelegram(markdown: string, limit = TELEGRAM_MAX_CHARS): FormattedPart[] {
  return splitMarkdown(markdown.trim(), limit).map((part) => {
    const [text, entities] = HTMLParser.parse(markdownToHtml(part));
    return { text, entities };
  });
}

/**
 * Cuts on the most natural boundary before the limit: a blank line, a line end, a
 * sentence end, a space; a code block cut in two is closed and reopened.
 */
export function splitMarkdown(text: string, limit = TELEGRAM_MAX_CHARS): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopenFence = '';
  while (rest.length > 0) {
    rest = reopenFence + rest;
    reopenFence = '';
    if (rest.length <= limit) {
      parts.push(rest);
      break;
    }
    // Leave room to close a code fence that the cut leaves open.
    const window = rest.slice(0, limit - 4);
    let cut = -1;
    for (const boundary of ['\n\n', '\n', '. ', ' ']) {
      const at = window.lastIndexOf(boundary);
      if (at > limit / 3) {
        cut = at + boundary.length;
        break;
      }
    }
    if (cut < 0) cut = window.length;
    let part = rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).trimStart();
    if ((part.match(/```/g) ?? []).length % 2 === 1) {
      part += '\n```';
      reopenFence = '```\n';
    }
    parts.push(part);
  }
  return parts.filter((p) => p.trim().length > 0);
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The Markdown Claude writes, as Telegram-supported HTML. */
export function markdownToHtml(markdown: string): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*```\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i += 1; i < lines.length && !/^\s*```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      const language = fence[1] ? ` class="language-${fence[1]}"` : '';
      out.push(`<pre><code${language}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      out.push(`<b>${inline(heading[1]!)}</b>`);
      continue;
    }
    const quote = /^>\s?(.*)$/.exec(line);
    if (quote) {
      out.push(`<blockquote>${inline(quote[1]!)}</blockquote>`);
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      out.push(`${bullet[1]}• ${inline(bullet[2]!)}`);
      continue;
    }
    out.push(inline(line));
  }
  return out.join('\n');
}

function inline(text: string): string {
  // Inline code first: nothing inside it is Markdown.
  return text
    .split(/(`[^`\n]+`)/)
    .map((piece) => {
      if (/^`[^`\n]+`$/.test(piece)) return `<code>${escapeHtml(piece.slice(1, -1))}</code>`;
      return escapeHtml(piece)
        .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2">$1</a>')
        .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<b>$1</b>')
        .replace(/__(?=\S)(.+?)(?<=\S)__/g, '<b>$1</b>')
        .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '<s>$1</s>')
        .replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])/g, '$1<i>$2</i>')
        .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?![\w])/g, '$1<i>$2</i>');
    })
    .join('');
}
