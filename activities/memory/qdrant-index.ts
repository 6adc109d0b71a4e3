// The memory index in Qdrant (QDRANT_URL): the collection is created on first use with
// the embedding model's dimension (and re-created when a new model changes it), with
// payload indexes for the scope filters and a full-text index so that keyword matches
// (names, exact phrases) are found alongside the nearest vectors.
import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { MemoryFact } from './markdown-store.ts';
import { keywordFields, keywordQuery, keywordScore } from './keywords.ts';
import { byScore, rankHit } from './memory-index.ts';
import type { IndexedFact, MemoryIndex, SearchHit, SearchQuery } from './memory-index.ts';

interface Payload {
  memoryId: string;
  scope: MemoryFact['scope'];
  aboutId: number | null;
  text: string;
  model: string;
}

/** Qdrant point ids are UUIDs or integers: a stable UUID made from the fact id. */
function pointId(id: string): string {
  const h = createHash('sha256').update(id).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export class QdrantIndex implements MemoryIndex {
  readonly backend = 'Qdrant';
  private readonly client: QdrantClient;
  private dimension: number | undefined;

  constructor(
    url: string,
    private readonly collection: string,
    apiKey?: string,
  ) {
    this.client = new QdrantClient({ url, apiKey, checkCompatibility: false });
  }

  /** The collection with vectors of `size`, created (or re-created for a new model) as needed. */
  private async ensure(size: number): Promise<void> {
    if (this.dimension === size) return;
    const { exists } = await this.client.collectionExists(this.collection);
    if (exists) {
      const info = await this.client.getCollection(this.collection);
      const vectors = info.config.params.vectors as { size?: number } | undefined;
      if (vectors?.size === size) {
        this.dimension = size;
        return;
      }
      // A model with another dimension: every vector is re-made anyway.
      await this.client.deleteCollection(this.collection);
    }
    await this.client.createCollection(this.collection, { vectors: { size, distance: 'Cosine' } });
    await this.client.createPayloadIndex(this.collection, { field_name: 'scope', field_schema: 'keyword', wait: true });
    await this.client.createPayloadIndex(this.collection, {
      field_name: 'aboutId',
      field_schema: 'integer',
      wait: true,
    });
    await this.client.createPayloadIndex(this.collection, {
      field_name: 'text',
      field_schema: { type: 'text', tokenizer: 'multilingual', lowercase: true },
      wait: true,
    });
    this.dimension = size;
  }

  /** Deletes the collection (tests and benchmarks clean up what they create). */
  async drop(): Promise<void> {
    await this.client.deleteCollection(this.collection);
    this.dimension = undefined;
  }

  async entries(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const { exists } = await this.client.collectionExists(this.collection);
    if (!exists) return out;
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
    await this.ensure(facts[0]!.vector.length);
    for (let i = 0; i < facts.length; i += 256) {
      await this.client.upsert(this.collection, {
        wait: true,
        points: facts.slice(i, i + 256).map((f) => ({
          id: pointId(f.id),
          vector: Array.from(f.vector),
          payload: {
            memoryId: f.id,
            scope: f.scope,
            aboutId: f.aboutId,
            text: f.text,
            model: f.model,
          } satisfies Payload,
        })),
      });
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { exists } = await this.client.collectionExists(this.collection);
    if (exists) await this.client.delete(this.collection, { wait: true, points: ids.map(pointId) });
  }

  async search(q: SearchQuery): Promise<SearchHit[]> {
    const { exists } = await this.client.collectionExists(this.collection);
    if (!exists) return [];
    const must: Array<Record<string, unknown>> = [];
    if (q.scope) must.push({ key: 'scope', match: { value: q.scope } });
    if (q.aboutId !== undefined) must.push({ key: 'aboutId', match: { value: q.aboutId } });
    const kq = keywordQuery(q.text);
    const [nearest, keyword] = await Promise.all([
      this.client.query(this.collection, {
        query: Array.from(q.vector),
        filter: must.length ? { must } : undefined,
        limit: q.limit * 4,
        with_payload: true,
      }),
      // Facts sharing any word with the query, whatever their vectors say.
      kq.terms.length
        ? this.client.scroll(this.collection, {
            filter: {
              must,
              should: q.text
                .split(/[^\p{L}\p{N}]+/u)
                .filter((w) => w.length > 1)
                .slice(0, 16)
                .map((w) => ({ key: 'text', match: { text: w } })),
            },
            limit: q.limit * 4,
            with_payload: true,
            with_vector: false,
          })
        : Promise.resolve({ points: [] as Array<{ payload?: unknown }> }),
    ]);
    const hits = new Map<string, SearchHit>();
    const consider = (payload: Payload, similarity: number) => {
      const previous = hits.get(payload.memoryId);
      const sim = Math.max(similarity, previous?.similarity ?? 0);
      const kw = keywordScore(kq, [], keywordFields(payload.text).terms);
      const fact = { id: payload.memoryId, scope: payload.scope, aboutId: payload.aboutId, text: payload.text };
      hits.set(payload.memoryId, rankHit(fact, sim, kw, q.calibration));
    };
    for (const p of nearest.points) consider(p.payload as unknown as Payload, p.score);
    for (const p of keyword.points) {
      const payload = p.payload as unknown as Payload;
      if (!hits.has(payload.memoryId)) consider(payload, 0);
    }
    return [...hits.values()]
      .filter((h) => h.score > 0)
      .sort(byScore)
      .slice(0, q.limit);
  }
}
