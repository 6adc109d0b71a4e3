// What a memory index is, whichever backend serves it (the embedded one in PostgreSQL, or
// Qdrant), and the one way both rank a hit: similarity of meaning combined with keyword
// matching, so names and exact phrases are found even when vectors miss them.
import { keywordTokens } from './embeddings.ts';
import type { MemoryFact, MemoryScope } from './markdown-store.ts';

export interface IndexedFact extends MemoryFact {
  model: string;
  vector: Float32Array;
}

export interface SearchQuery {
  vector: Float32Array;
  text: string;
  /** Only facts of this scope (and, for contacts, about this person). */
  scope?: MemoryScope;
  aboutId?: number;
  limit: number;
}

export interface SearchHit {
  fact: MemoryFact;
  score: number;
  similarity: number;
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

const SIMILARITY_WEIGHT = 0.65;
const KEYWORD_WEIGHT = 0.35;

export function hybridScore(similarity: number, keyword: number): number {
  return SIMILARITY_WEIGHT * Math.max(similarity, 0) + KEYWORD_WEIGHT * keyword;
}

export interface KeywordQuery {
  tokens: string[];
  phrase: string;
}

export function keywordQuery(text: string): KeywordQuery {
  return { tokens: [...new Set(keywordTokens(text))], phrase: text.toLowerCase().replace(/\s+/g, ' ').trim() };
}

/** Share of the query's words the fact contains, with the whole phrase counting in full. */
export function keywordScore(q: KeywordQuery, factText: string): number {
  if (q.tokens.length === 0) return 0;
  if (q.phrase.length >= 3 && factText.toLowerCase().includes(q.phrase)) return 1;
  const tokens = new Set(keywordTokens(factText));
  let matched = 0;
  for (const t of q.tokens) if (tokens.has(t)) matched++;
  return matched / q.tokens.length;
}

export function matchesScope(fact: Pick<MemoryFact, 'scope' | 'aboutId'>, q: Pick<SearchQuery, 'scope' | 'aboutId'>) {
  if (q.scope && fact.scope !== q.scope) return false;
  if (q.aboutId !== undefined && fact.aboutId !== q.aboutId) return false;
  return true;
}
