// Embedding providers. The real ones speak the OpenAI-compatible `/v1/embeddings` API:
// the default multilingual model served on this machine (local-embeddings.ts), or any
// provider (OpenAI, Voyage, Ollama, LM Studio, text-embeddings-inference...). The offline
// hashing one is the last resort when neither is there: it hashes words and character
// trigrams into a fixed-size vector, so it finds shared words, names and spellings
// (Cyrillic folded to Latin), NOT meaning; it is named for what it is.
import { foldName } from '../tools/name-matching.ts';
import { contentWords } from './keywords.ts';

export interface EmbeddingProvider {
  /** Stored with every vector: a different model means the memory is re-embedded. */
  readonly model: string;
  embed(texts: string[]): Promise<Float32Array[]>;
}

export class EmbeddingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddingError';
  }
}

export interface HttpEmbeddingOptions {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Asked of models that can shorten their vectors (OpenAI's text-embedding-3-*). */
  dimensions?: number;
  timeoutMs?: number;
}

const BATCH = 64;

export class HttpEmbeddings implements EmbeddingProvider {
  readonly model: string;

  constructor(private readonly options: HttpEmbeddingOptions) {
    this.model = options.dimensions ? `${options.model}@${options.dimensions}` : options.model;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) out.push(...(await this.batch(texts.slice(i, i + BATCH))));
    return out;
  }

  private async batch(input: string[]): Promise<Float32Array[]> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/embeddings`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.options.apiKey && { authorization: `Bearer ${this.options.apiKey}` }),
        },
        body: JSON.stringify({
          model: this.options.model,
          input,
          ...(this.options.dimensions && { dimensions: this.options.dimensions }),
        }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new EmbeddingError(`The embeddings service at ${url} is not reachable: ${(err as Error).message}`);
    }
    if (!response.ok) {
      const detail = (await response.text().catch(() => '')).slice(0, 300);
      throw new EmbeddingError(`The embeddings service answered ${response.status}: ${detail}`);
    }
    const body = (await response.json().catch(() => null)) as {
      data?: Array<{ index?: number; embedding?: unknown }>;
    } | null;
    const data = body?.data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new EmbeddingError('The embeddings service gave an answer that is not an embeddings list.');
    }
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((d) => {
      if (!Array.isArray(d.embedding) || d.embedding.some((x) => typeof x !== 'number')) {
        throw new EmbeddingError('The embeddings service gave a vector that is not a list of numbers.');
      }
      return normalize(Float32Array.from(d.embedding as number[]));
    });
  }
}

/**
 * Feature hashing of words and character trigrams: deterministic, offline, not semantic.
 * 128 dimensions: enough for a lexical signal (keywords are matched separately), and
 * half the search time of 256 at 100k facts.
 */
export class OfflineHashingEmbeddings implements EmbeddingProvider {
  readonly model: string;

  constructor(readonly dimension = 128) {
    this.model = `offline-hashing-v1@${dimension}`;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.embedOne(t));
  }

  embedOne(text: string): Float32Array {
    const v = new Float32Array(this.dimension);
    // Whole words, folded but not stemmed: "Иван Петров" and "Ivan Petrov" hash alike.
    for (const word of contentWords(text).map(foldName)) {
      add(v, `w:${word}`, 1);
      const padded = ` ${word} `;
      for (let i = 0; i + 3 <= padded.length; i++) add(v, `t:${padded.slice(i, i + 3)}`, 0.5);
    }
    return normalize(v);
  }
}

function add(v: Float32Array, feature: string, weight: number) {
  // FNV-1a: the bucket, and one more bit for the sign (keeps collisions unbiased).
  let h = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    h ^= feature.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const bucket = (h >>> 0) % v.length;
  v[bucket]! += (h & 0x80000000 ? -1 : 1) * weight;
}

export function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
