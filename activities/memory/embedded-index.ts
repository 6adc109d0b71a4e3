// The embedded memory index: vectors kept in the project's own PostgreSQL (MemoryEntry),
// searched in this process's memory. No extra service to run; the default when no Qdrant
// is configured. A version row tells each worker when another one changed the index.
import type { Db } from '../../infra/db.ts';
import { KeywordMaps } from './keyword-maps.ts';
import { keywordQuery } from './keywords.ts';
import { VectorRows } from './vector-rows.ts';
import type { MemoryFact } from './markdown-store.ts';
import { byScore, matchesScope, rankHit } from './memory-index.ts';
import type { IndexedFact, MemoryIndex, SearchHit, SearchQuery } from './memory-index.ts';

interface CachedEntry {
  fact: MemoryFact;
  model: string;
  /** Where it sits in the scan list, and its row of vectors. */
  pos: number;
  /** False for a vector of another size than the rest (an old model, about to be re-embedded). */
  ranked: boolean;
  /** Its keyword terms (keywords.ts). */
  terms: string[];
}

const WRITE_BATCH = 1000;

export class EmbeddedIndex implements MemoryIndex {
  readonly backend = 'embedded (PostgreSQL)';
  /** The entries in a plain array (fast to scan), and where each id sits in it. */
  private list: CachedEntry[] = [];
  private vectors = new VectorRows();
  private byId = new Map<string, CachedEntry>();
  /** term and prefix → the facts having it, for keyword matching without reading every text. */
  private keywords = new KeywordMaps<CachedEntry>();
  private version = -1;

  constructor(private readonly db: Db) {}

  async entries(): Promise<Map<string, string>> {
    await this.refresh();
    return new Map(this.list.map((e) => [e.fact.id, e.model]));
  }

  async upsert(facts: IndexedFact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.refresh();
    for (let i = 0; i < facts.length; i += WRITE_BATCH) {
      const batch = facts.slice(i, i + WRITE_BATCH);
      await this.db.$transaction([
        this.db.memoryEntry.deleteMany({ where: { id: { in: batch.map((f) => f.id) } } }),
        this.db.memoryEntry.createMany({
          data: batch.map((f) => ({
            id: f.id,
            scope: f.scope,
            aboutId: f.aboutId === null ? null : BigInt(f.aboutId),
            text: f.text,
            model: f.model,
            vector: new Uint8Array(Float32Array.from(f.vector).buffer),
          })),
        }),
      ]);
    }
    await this.bumpVersion();
    if (this.list.length > 0 && facts[0]!.vector.length !== this.vectors.dimension) {
      // A model with another vector size: reload, so the rows take the new size.
      this.version = -1;
      return;
    }
    for (const f of facts)
      this.cacheEntry({ id: f.id, scope: f.scope, aboutId: f.aboutId, text: f.text }, f.model, f.vector);
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.refresh();
    await this.db.memoryEntry.deleteMany({ where: { id: { in: ids } } });
    await this.bumpVersion();
    for (const id of ids) this.uncache(id);
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    await this.refresh();
    // Keyword scores of the facts sharing a term with the query, by scan position.
    const keywordByPos = new Float32Array(this.list.length);
    for (const [entry, score] of this.keywords.score(keywordQuery(q.text), this.list.length)) {
      keywordByPos[entry.pos] = score;
    }
    // A bounded list of the best hits so far: no sort of the whole index.
    const best: SearchHit[] = [];
    let floor = -Infinity;
    const scoped = q.scope !== undefined || q.aboutId !== undefined;
    const { data, dimension } = this.vectors;
    const query = q.vector;
    const comparable = query.length === dimension;
    for (let i = 0; i < this.list.length; i++) {
      const entry = this.list[i]!;
      if (scoped && !matchesScope(entry.fact, q)) continue;
      // The cosine (vectors are normalized), read straight from the row; four sums overlap.
      let similarity = 0;
      if (comparable && entry.ranked) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        const start = i * dimension;
        let k = 0;
        for (; k + 4 <= dimension; k += 4) {
          s0 += data[start + k]! * query[k]!;
          s1 += data[start + k + 1]! * query[k + 1]!;
          s2 += data[start + k + 2]! * query[k + 2]!;
          s3 += data[start + k + 3]! * query[k + 3]!;
        }
        for (; k < dimension; k++) s0 += data[start + k]! * query[k]!;
        similarity = s0 + s1 + s2 + s3;
      }
      const hit = rankHit(entry.fact, similarity, keywordByPos[i]!, q.calibration);
      if (hit.score <= floor || hit.score <= 0) continue;
      best.push(hit);
      if (best.length > q.limit) {
        best.sort(byScore);
        best.length = q.limit;
        floor = best.at(-1)!.score;
      }
    }
    return best.sort(byScore).slice(0, q.limit);
  }

  /** Reloads the cache when another process changed the index since this one last looked. */
  private async refresh(): Promise<void> {
    const state = await this.db.memoryIndexState.findUnique({ where: { id: 1 } });
    const version = state?.version ?? 0;
    if (version === this.version) return;
    this.list = [];
    this.vectors.clear();
    this.byId.clear();
    this.keywords.clear();
    let cursor: string | undefined;
    for (;;) {
      const rows = await this.db.memoryEntry.findMany({
        take: 5000,
        ...(cursor && { skip: 1, cursor: { id: cursor } }),
        orderBy: { id: 'asc' },
      });
      for (const r of rows) {
        const vector = new Float32Array(Uint8Array.from(r.vector).buffer);
        this.cacheEntry(
          {
            id: r.id,
            scope: r.scope as MemoryFact['scope'],
            aboutId: r.aboutId === null ? null : Number(r.aboutId),
            text: r.text,
          },
          r.model,
          vector,
        );
      }
      if (rows.length < 5000) break;
      cursor = rows.at(-1)!.id;
    }
    this.version = version;
  }

  private async bumpVersion(): Promise<void> {
    const before = this.version;
    const state = await this.db.memoryIndexState.upsert({
      where: { id: 1 },
      create: { id: 1, version: 1 },
      update: { version: { increment: 1 } },
    });
    // Nobody else wrote in between: the cache stays valid with this process's own change applied.
    if (state.version === before + 1) this.version = state.version;
  }

  private cacheEntry(fact: MemoryFact, model: string, vector: Float32Array) {
    this.uncache(fact.id);
    const pos = this.list.length;
    const ranked = this.vectors.set(pos, vector, pos + 1);
    const entry: CachedEntry = { fact, model, pos, ranked, terms: KeywordMaps.termsOf(fact.text) };
    this.list.push(entry);
    this.byId.set(fact.id, entry);
    this.keywords.add(entry);
  }

  private uncache(id: string) {
    const old = this.byId.get(id);
    if (!old) return;
    // Swap-remove: the last entry takes the freed place.
    const last = this.list.pop()!;
    if (last !== old) {
      this.list[old.pos] = last;
      this.vectors.move(last.pos, old.pos);
      last.pos = old.pos;
    }
    this.byId.delete(id);
    this.keywords.delete(old);
  }
}
