// What a memory index is, whichever backend serves it (the embedded one in PostgreSQL, or
// Qdrant), and the one way both rank a hit: similarity of meaning on the model's own scale
// (calibration.ts) plus keyword evidence (keywords.ts), so names and exact identifiers are
// found even when vectors miss them, and a clear match of meaning is not outvoted by a
// shared common word.
import { semanticScore } from './calibration.ts';
import type { Calibration } from './calibration.ts';
import type { MemoryFact, MemoryScope } from './markdown-store.ts';

export interface IndexedFact extends MemoryFact {
  model: string;
  vector: Float32Array;
}

export interface SearchQuery {
  vector: Float32Array;
  text: string;
  /** The embedding model's scale, to read cosines on. */
  calibration: Calibration;
  /** Only facts of this scope (and, for contacts, about this person). */
  scope?: MemoryScope;
  aboutId?: number;
  limit: number;
}

export interface SearchHit {
  fact: MemoryFact;
  score: number;
  /** The raw cosine of the query and the fact. */
  similarity: number;
  /** The cosine on the model's scale: 0 unrelated, 1 a typical match. */
  semantic: number;
  /** Weighted share of the query's keyword terms the fact has, 0..1. */
  keyword: number;
}

export interface MemoryIndex {
  readonly backend: string;
  /** Every entry's id and embedding model: what a sync compares MEMORY.md with. */
  entries(): Promise<Map<string, string>>;
  upsert(facts: IndexedFact[]): Promise<void>;
  remove(ids: string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  close?(): Promise<void>;
}

/** Keyword evidence counts for about half a typical match of meaning. */
const KEYWORD_WEIGHT = 0.6;
/** Beyond a clear match, more cosine says no more: keywords then decide between close facts. */
const SEMANTIC_CAP = 1.5;

export function rankHit(fact: MemoryFact, similarity: number, keyword: number, calibration: Calibration): SearchHit {
  const semantic = semanticScore(similarity, calibration);
  const score = Math.min(Math.max(semantic, 0), SEMANTIC_CAP) + KEYWORD_WEIGHT * keyword;
  return { fact, score, similarity, semantic, keyword };
}

export function byScore(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || a.fact.id.localeCompare(b.fact.id);
}

export function matchesScope(fact: Pick<MemoryFact, 'scope' | 'aboutId'>, q: Pick<SearchQuery, 'scope' | 'aboutId'>) {
  if (q.scope && fact.scope !== q.scope) return false;
  if (q.aboutId !== undefined && fact.aboutId !== q.aboutId) return false;
  return true;
}
