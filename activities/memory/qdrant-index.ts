// The memory index in Qdrant (QDRANT_URL; Qdrant 1.10 or newer: the query API). The
// collection is created on first use with the embedding model's dimension, with payload
// indexes for the scope filters and for keyword lookups: each fact's keyword terms and
// their prefixes (keywords.ts), the same fields the embedded index keeps in memory, so both
// find the same facts. Keyword candidates come ranked (by the same keywordScore, from
// per-term counts), and every candidate is scored with its own vector, as the embedded
// index scores every fact. A collection Jobs did not make is never touched.
import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { keywordFields, keywordQuery, keywordScore, MIN_PREFIX, shorterPrefixes, termWeight } from './keywords.ts';
import type { MemoryFact } from './markdown-store.ts';
import { byScore, rankHit } from './memory-index.ts';
import type { IndexedFact, MemoryIndex, SearchHit, SearchQuery } from './memory-index.ts';

interface Payload {
  memoryId: string;
  scope: MemoryFact['scope'];
  aboutId: number | null;
  text: string;
  model: string;
  /** When it was embedded (ms): tells an old worker that a newer one changed the model. */
  embeddedAt: number;
  terms: string[];
  prefixes: string[];
}

type Condition = Record<string, unknown>;

const PAYLOAD_INDEXES = { scope: 'keyword', aboutId: 'integer', terms: 'keyword', prefixes: 'keyword' } as const;
const WRITE_BATCH = 256;
/** Keyword candidates read per search; a term on more facts than this says too little to scan for. */
const KEYWORD_SCAN = 512;

/** Qdrant point ids are UUIDs or unsigned integers: a stable UUID made from the fact id. */
function pointId(id: string): string {
  const h = createHash('sha256').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function isJobsPayload(p: unknown): p is Payload {
  const payload = p as Partial<Payload> | null;
  return typeof payload?.memoryId === 'string' && typeof payload.model === 'string' && typeof payload.text === 'string';
}

/** The facts a query term matches: the same rule as termMatch() and KeywordMaps.matching(). */
function termCondition(term: string): Condition {
  const should: Condition[] = [
    term.length >= MIN_PREFIX ? { key: 'prefixes', match: { value: term } } : { key: 'terms', match: { value: term } },
  ];
  const shorter = shorterPrefixes(term);
  if (shorter.length) should.push({ key: 'terms', match: { any: shorter } });
  return { should };
}

function statusOf(err: unknown): number | undefined {
  return (err as { status?: number }).status;
}

/** The collection QDRANT_COLLECTION names cannot be used, and was left as it is. */
export class QdrantCollectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QdrantCollectionError';
  }
}

export class QdrantIndex implements MemoryIndex {
  readonly backend = 'Qdrant';
  private readonly client: QdrantClient;
  /** The vector size the collection is known to have, with its payload indexes in place. */
  private ready: number | undefined;
  private readonly startedAt = Date.now();

  constructor(
    url: string,
    private readonly collection: string,
    apiKey?: string,
  ) {
    this.client = new QdrantClient({ url, apiKey, checkCompatibility: false });
  }

  /** Deletes the collection (tests and benchmarks clean up what they create). */
  async drop(): Promise<void> {
    await this.client.deleteCollection(this.collection).catch((err: unknown) => {
      if (statusOf(err) !== 404) throw err;
    });
    this.ready = undefined;
  }

  /**
   * The collection as it is: missing, or its vector size and payload indexes once it is
   * known to be Jobs' (one unnamed vector; points that Jobs wrote). Anything else is refused.
   */
  private async inspect(): Promise<
    { exists: false } | { exists: true; size: number; indexed: Set<string>; sample: Payload | undefined }
  > {
    let info: Awaited<ReturnType<QdrantClient['getCollection']>>;
    try {
      info = await this.client.getCollection(this.collection);
    } catch (err) {
      if (statusOf(err) === 404) return { exists: false };
      throw err;
    }
    const size = (info.config.params.vectors as { size?: unknown } | undefined)?.size;
    if (typeof size !== 'number') {
      throw new QdrantCollectionError(
        `QDRANT_COLLECTION "${this.collection}" holds named vectors that Jobs did not write; it was left untouched. Set QDRANT_COLLECTION to a collection of Jobs' own (or a new name).`,
      );
    }
    const page = await this.client.scroll(this.collection, { limit: 1, with_payload: true, with_vector: false });
    const sample: unknown = page.points[0]?.payload;
    if (page.points.length && !isJobsPayload(sample)) {
      throw new QdrantCollectionError(
        `QDRANT_COLLECTION "${this.collection}" holds points that Jobs did not write; it was left untouched. Set QDRANT_COLLECTION to a collection of Jobs' own (or a new name).`,
      );
    }
    const indexed = new Set(Object.keys(info.payload_schema ?? {}));
    return { exists: true, size, indexed, sample: isJobsPayload(sample) ? sample : undefined };
  }

  /** The collection with vectors of `size` and every payload index: created, repaired or re-made as needed. */
  private async ensure(size: number): Promise<void> {
    if (this.ready === size) return;
    let state = await this.inspect();
    if (state.exists && state.size !== size) {
      // Another model: its vectors replace these (the sync re-embeds every fact). Unless a
      // worker started after this one made them: then this worker is the stale one.
      if (state.sample && state.sample.embeddedAt > this.startedAt) {
        throw new QdrantCollectionError(
          `The memory index was re-made for the embedding model "${state.sample.model}" (${state.size} dimensions) by a newer worker; restart this worker with the same EMBEDDINGS_* settings.`,
        );
      }
      await this.drop();
      state = { exists: false };
    }
    if (!state.exists) {
      try {
        await this.client.createCollection(this.collection, { vectors: { size, distance: 'Cosine' } });
      } catch (err) {
        // Another worker created it first: use theirs, if it is what this one needs.
        if (statusOf(err) !== 409) throw err;
      }
      state = await this.inspect();
      if (!state.exists || state.size !== size) {
        throw new QdrantCollectionError(
          `QDRANT_COLLECTION "${this.collection}" changed while being created; try again.`,
        );
      }
    }
    for (const [field, schema] of Object.entries(PAYLOAD_INDEXES)) {
      // Creating an index that exists is a no-op in Qdrant: two workers may both do it.
      if (!state.indexed.has(field)) {
        await this.client.createPayloadIndex(this.collection, { field_name: field, field_schema: schema, wait: true });
      }
    }
    this.ready = size;
  }

  /** Is there a collection to read? Refuses one that is not Jobs'. */
  private async readable(): Promise<boolean> {
    if (this.ready !== undefined) return true;
    return (await this.inspect()).exists;
  }

  async entries(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!(await this.readable())) return out;
    let offset: string | number | undefined | null;
    do {
      const page = await this.client.scroll(this.collection, {
        limit: 1000,
        with_payload: ['memoryId', 'model'],
        with_vector: false,
        ...(offset !== undefined && offset !== null && { offset }),
      });
      for (const p of page.points) {
        const payload = p.payload as unknown as Payload;
        out.set(payload.memoryId, payload.model);
      }
      offset = page.next_page_offset as string | number | null | undefined;
    } while (offset !== undefined && offset !== null);
    return out;
  }

  async upsert(facts: IndexedFact[]): Promise<void> {
    if (facts.length === 0) return;
    const size = facts[0]!.vector.length;
    await this.ensure(size);
    const embeddedAt = Date.now();
    for (let i = 0; i < facts.length; i += WRITE_BATCH) {
      const points = facts.slice(i, i + WRITE_BATCH).map((f) => ({
        id: pointId(f.id),
        vector: Array.from(f.vector),
        payload: {
          memoryId: f.id,
          scope: f.scope,
          aboutId: f.aboutId,
          text: f.text,
          model: f.model,
          embeddedAt,
          ...keywordFields(f.text),
        } satisfies Payload,
      }));
      try {
        await this.client.upsert(this.collection, { wait: true, points });
      } catch (err) {
        // Re-made by another worker since this one looked: look again, once.
        if (statusOf(err) !== 400 && statusOf(err) !== 404) throw err;
        this.ready = undefined;
        await this.ensure(size);
        await this.client.upsert(this.collection, { wait: true, points });
      }
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0 || !(await this.readable())) return;
    await this.client.delete(this.collection, { wait: true, points: ids.map(pointId) });
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    if (!(await this.readable())) return [];
    const scope: Condition[] = [];
    if (q.scope) scope.push({ key: 'scope', match: { value: q.scope } });
    if (q.aboutId !== undefined) scope.push({ key: 'aboutId', match: { value: q.aboutId } });
    const kq = keywordQuery(q.text);
    const filter = scope.length ? { must: scope } : undefined;
    const [nearest, total, frequencies] = await Promise.all([
      this.nearest(q, filter),
      this.count(),
      // How many facts each term matches (the whole index, as the embedded index counts).
      Promise.all(kq.terms.map((t) => this.count({ must: [termCondition(t)] }))),
    ]);
    const weights = frequencies.map((df) => termWeight(df, total));
    const score = (payload: Payload) => keywordScore(kq, weights, payload.terms);

    const hits = new Map<string, SearchHit>();
    const add = (payload: Payload, similarity: number) => {
      const fact = { id: payload.memoryId, scope: payload.scope, aboutId: payload.aboutId, text: payload.text };
      hits.set(payload.memoryId, rankHit(fact, similarity, score(payload), q.calibration));
    };
    for (const p of nearest) add(p.payload as unknown as Payload, p.score);

    // Keyword candidates, best first by the same keyword score, then scored with their own vectors.
    const scanned = kq.terms.filter((_, i) => frequencies[i]! > 0 && frequencies[i]! <= KEYWORD_SCAN);
    if (scanned.length) {
      const page = await this.client.scroll(this.collection, {
        filter: { must: [...scope, { should: scanned.map(termCondition) }] },
        limit: KEYWORD_SCAN,
        with_payload: ['memoryId', 'terms'],
        with_vector: false,
      });
      const best = page.points
        .map((p) => ({ id: p.id, payload: p.payload as unknown as Payload }))
        .filter((p) => !hits.has(p.payload.memoryId))
        .map((p) => ({ ...p, keyword: score(p.payload) }))
        .sort((a, b) => b.keyword - a.keyword || a.payload.memoryId.localeCompare(b.payload.memoryId))
        .slice(0, q.limit * 4);
      if (best.length) {
        const points = await this.client.retrieve(this.collection, {
          ids: best.map((p) => p.id),
          with_payload: true,
          with_vector: true,
        });
        for (const p of points) add(p.payload as unknown as Payload, dot(p.vector as number[], q.vector));
      }
    }
    return [...hits.values()]
      .filter((h) => h.score > 0)
      .sort(byScore)
      .slice(0, q.limit);
  }

  private async nearest(q: SearchQuery, filter: { must: Condition[] } | undefined) {
    try {
      const result = await this.client.query(this.collection, {
        query: Array.from(q.vector),
        filter,
        limit: q.limit * 4,
        with_payload: true,
      });
      return result.points;
    } catch (err) {
      if (statusOf(err) !== 400) throw err;
      // A query vector of another size: another worker changed the model. Say so plainly.
      this.ready = undefined;
      const state = await this.inspect();
      if (state.exists && state.size !== q.vector.length) {
        throw new QdrantCollectionError(
          `The memory index holds ${state.size}-dimension vectors${state.sample ? ` of "${state.sample.model}"` : ''}, not ${q.vector.length}: another worker changed the embedding model; give every worker the same EMBEDDINGS_* settings.`,
        );
      }
      throw err;
    }
  }

  private async count(filter?: { must: Condition[] }): Promise<number> {
    return (await this.client.count(this.collection, { filter, exact: true })).count;
  }
}

function dot(a: number[], b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (a[i] ?? 0) * b[i]!;
  return s;
}
