// The embedded index's keyword lookups, in memory: term → facts, prefix → facts, the same
// fields Qdrant keeps in its payload indexes (keywordFields), so both find the same facts.
import { keywordFields, keywordScore, MIN_PREFIX, shorterPrefixes, termPrefixes, termWeight } from './keywords.ts';
import type { KeywordQuery } from './keywords.ts';

export interface KeywordEntry {
  terms: readonly string[];
}

export class KeywordMaps<E extends KeywordEntry> {
  private byTerm = new Map<string, Set<E>>();
  private byPrefix = new Map<string, Set<E>>();

  /** The entry's terms, to keep on it (keywordScore reads them). */
  static termsOf(text: string): string[] {
    return keywordFields(text).terms;
  }

  add(entry: E): void {
    const { terms, prefixes } = keywordFieldsOf(entry);
    for (const t of terms) addTo(this.byTerm, t, entry);
    for (const p of prefixes) addTo(this.byPrefix, p, entry);
  }

  delete(entry: E): void {
    const { terms, prefixes } = keywordFieldsOf(entry);
    for (const t of terms) deleteFrom(this.byTerm, t, entry);
    for (const p of prefixes) deleteFrom(this.byPrefix, p, entry);
  }

  clear(): void {
    this.byTerm.clear();
    this.byPrefix.clear();
  }

  /** The facts one query term matches (termMatch > 0): same term, a longer one it begins, a shorter one that begins it. */
  matching(term: string): Set<E> {
    const found = new Set<E>(term.length >= MIN_PREFIX ? this.byPrefix.get(term) : this.byTerm.get(term));
    for (const p of shorterPrefixes(term)) for (const e of this.byTerm.get(p) ?? []) found.add(e);
    return found;
  }

  /** Every fact matching some query term, with its keyword score; `total` is the index's size. */
  score(query: KeywordQuery, total: number): Map<E, number> {
    const matches = query.terms.map((t) => this.matching(t));
    const weights = matches.map((m) => termWeight(m.size, total));
    const scores = new Map<E, number>();
    for (const m of matches) {
      for (const e of m) if (!scores.has(e)) scores.set(e, keywordScore(query, weights, e.terms));
    }
    return scores;
  }
}

function keywordFieldsOf(entry: KeywordEntry) {
  return { terms: entry.terms, prefixes: termPrefixes(entry.terms) };
}

function addTo<E>(map: Map<string, Set<E>>, key: string, entry: E) {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(entry);
}

function deleteFrom<E>(map: Map<string, Set<E>>, key: string, entry: E) {
  const set = map.get(key);
  if (!set) return;
  set.delete(entry);
  if (set.size === 0) map.delete(key);
}
