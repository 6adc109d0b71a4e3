// Anthropic's prompt caching, emulated for the scripted Claude so that `usage` says what
// the real API would bill: the request is read as one sequence of blocks (tools, then
// system, then each message's content blocks); every block with `cache_control` is a
// breakpoint; a prefix is served from the cache only if exactly the same prefix was
// written before (byte for byte), looked up at each breakpoint and up to 20 blocks before
// it; nothing shorter than the model's minimum (1,024 tokens for Sonnet-class models) is
// cached at all. Tokens are estimated at 4 characters each.

import { createHash } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface CacheUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export const CACHE_LOOKBACK_BLOCKS = 20;
export const MIN_CACHEABLE_TOKENS = 1024;

/** Rough token count of a piece of a request (the emulation needs proportions, not exact counts). */
export function estimateTokens(value: unknown): number {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return Math.ceil(text.length / 4);
}

interface Block {
  /** The block as it affects the prompt, without its cache_control marker. */
  canonical: string;
  tokens: number;
  breakpoint: boolean;
}

function blocksOf(body: Json): Block[] {
  const blocks: Block[] = [];
  const add = (prefix: string, block: Json) => {
    const { cache_control: marker, ...rest } = block as Record<string, unknown>;
    const canonical = `${prefix}:${JSON.stringify(rest)}`;
    blocks.push({ canonical, tokens: estimateTokens(rest), breakpoint: Boolean(marker) });
  };
  for (const tool of body.tools ?? []) add('tool', tool);
  const system = typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? []);
  for (const block of system) add('system', block);
  for (const [i, message] of (body.messages ?? []).entries()) {
    const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    for (const block of content) add(`${i}:${message.role}`, block);
  }
  return blocks;
}

export class PromptCache {
  private readonly written = new Set<string>();
  /** Requests that carried no breakpoint the cache could use (for reports). */
  constructor(private readonly minTokens = MIN_CACHEABLE_TOKENS) {}

  /** The usage of one request, updating the cache as the API would. */
  use(body: Json): CacheUsage {
    const blocks = blocksOf(body);
    const prefixKeys: string[] = [];
    const prefixTokens: number[] = [];
    const hash = createHash('sha256');
    let tokens = 0;
    for (const block of blocks) {
      hash.update(block.canonical);
      hash.update('\u0000');
      prefixKeys.push(hash.copy().digest('hex'));
      tokens += block.tokens;
      prefixTokens.push(tokens);
    }
    const total = tokens;
    const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));

    // The longest cached prefix found at a breakpoint or up to 20 blocks before one.
    let hit = -1;
    for (const bp of breakpoints) {
      for (let i = bp; i >= Math.max(0, bp - CACHE_LOOKBACK_BLOCKS + 1); i--) {
        if (i > hit && this.written.has(prefixKeys[i]!)) {
          hit = i;
          break;
        }
      }
    }
    const read = hit >= 0 ? prefixTokens[hit]! : 0;

    // Every breakpoint's prefix long enough to cache is written (or refreshed).
    let created = 0;
    const last = breakpoints.at(-1);
    for (const bp of breakpoints) {
      if (prefixTokens[bp]! >= this.minTokens) this.written.add(prefixKeys[bp]!);
    }
    if (last !== undefined && last > hit && prefixTokens[last]! >= this.minTokens) {
      created = prefixTokens[last]! - read;
    }
    return {
      input_tokens: total - read - created,
      cache_creation_input_tokens: created,
      cache_read_input_tokens: read,
    };
  }
}
