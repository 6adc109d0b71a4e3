// The owner's memory: MEMORY.md is the truth, the index follows it. Every read first
// syncs when the file changed (a hand edit is picked up on the next search or turn), so
// the index never answers with a fact the owner deleted. Only owner tools and the
// owner's turns use it; contacts' sessions never reach this object (see claude.ts and
// tools/execute.ts).
import { join } from 'node:path';
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { workspaceRoot } from '../../infra/workspace.ts';
import { EmbeddedIndex } from './embedded-index.ts';
import { HttpEmbeddings, OfflineHashingEmbeddings } from './embeddings.ts';
import type { EmbeddingProvider } from './embeddings.ts';
import { MarkdownMemory } from './markdown-store.ts';
import type { MemoryFact } from './markdown-store.ts';
import type { MemoryIndex, SearchHit } from './memory-index.ts';
import { QdrantIndex } from './qdrant-index.ts';

export interface SyncReport {
  added: number;
  removed: number;
  reembedded: number;
}

/** Below this score a recalled memory is more likely noise than help. */
const MIN_RECALL_SCORE = 0.3;
const CHARS_PER_TOKEN = 4;
const QUERY_CACHE = 64;

export class MemoryService {
  private syncedSignature: string | undefined;
  /** Recent query vectors: a turn's tool rounds recall with the same text, and an embedding call costs a round trip. */
  private queryVectors = new Map<string, Float32Array>();
  private syncing: Promise<SyncReport> | undefined;

  constructor(
    readonly store: MarkdownMemory,
    readonly index: MemoryIndex,
    readonly embeddings: EmbeddingProvider,
  ) {}

  /** Brings the index in line with MEMORY.md: new and edited facts embedded, removed ones dropped, old models re-embedded. */
  async sync(force = false): Promise<SyncReport> {
    // One sync at a time per process; callers arriving meanwhile share it.
    while (this.syncing) await this.syncing.catch(() => undefined);
    const signature = await this.store.signature();
    if (!force && signature === this.syncedSignature) return { added: 0, removed: 0, reembedded: 0 };
    this.syncing = this.syncNow(signature);
    try {
      return await this.syncing;
    } finally {
      this.syncing = undefined;
    }
  }

  private async syncNow(signature: string): Promise<SyncReport> {
    const [facts, entries] = await Promise.all([this.store.facts(), this.index.entries()]);
    const wanted = new Set(facts.map((f) => f.id));
    const stale = facts.filter((f) => entries.has(f.id) && entries.get(f.id) !== this.embeddings.model);
    const fresh = facts.filter((f) => !entries.has(f.id));
    const toEmbed = [...fresh, ...stale];
    // A fact about someone is indexed with their name: "Ivan Petrov: does not eat meat".
    const indexed = toEmbed.map(({ aboutName, ...f }) => ({
      ...f,
      text: aboutName ? `${aboutName}: ${f.text}` : f.text,
    }));
    const vectors = await this.embeddings.embed(indexed.map((f) => f.text));
    await this.index.upsert(indexed.map((f, i) => ({ ...f, model: this.embeddings.model, vector: vectors[i]! })));
    const gone = [...entries.keys()].filter((id) => !wanted.has(id));
    await this.index.remove(gone);
    this.syncedSignature = signature;
    const report = { added: fresh.length, removed: gone.length, reembedded: stale.length };
    if (toEmbed.length || gone.length) log.info('Memory index synced with MEMORY.md', { ...report });
    return report;
  }

  async save(text: string, about?: { id: number; name: string }): Promise<MemoryFact> {
    const fact = await this.store.add(
      { scope: about ? 'contact' : 'owner', aboutId: about?.id ?? null, text },
      about?.name,
    );
    await this.sync();
    return fact;
  }

  async forget(id: string): Promise<MemoryFact | undefined> {
    const removed = await this.store.remove(id);
    await this.sync();
    return removed;
  }

  async search(
    query: string,
    opts: { scope?: MemoryFact['scope']; aboutId?: number; limit?: number } = {},
  ): Promise<SearchHit[]> {
    await this.sync();
    const vector = await this.queryVector(query);
    return this.index.search({
      vector: vector!,
      text: query,
      scope: opts.scope,
      aboutId: opts.aboutId,
      limit: opts.limit ?? 8,
    });
  }

  private async queryVector(query: string): Promise<Float32Array> {
    const key = `${this.embeddings.model}\n${query}`;
    const cached = this.queryVectors.get(key);
    if (cached) return cached;
    const [vector] = await this.embeddings.embed([query]);
    this.queryVectors.set(key, vector!);
    if (this.queryVectors.size > QUERY_CACHE) this.queryVectors.delete(this.queryVectors.keys().next().value!);
    return vector!;
  }

  /** The memories most relevant to `query`, as lines, within a token budget. */
  async recall(query: string, budgetTokens: number): Promise<string[]> {
    if (budgetTokens <= 0 || !query.trim()) return [];
    const hits = await this.search(query, { limit: 10 });
    const lines: string[] = [];
    let used = 0;
    for (const hit of hits) {
      if (hit.score < MIN_RECALL_SCORE) break;
      const line = `- ${hit.fact.text} [memory ${hit.fact.id}${hit.fact.aboutId !== null ? `, about id ${hit.fact.aboutId}` : ''}]`;
      if (used + line.length > budgetTokens * CHARS_PER_TOKEN) break;
      lines.push(line);
      used += line.length;
    }
    return lines;
  }
}

export type MemoryConfig = Pick<
  Config,
  | 'dataDir'
  | 'qdrantUrl'
  | 'qdrantApiKey'
  | 'qdrantCollection'
  | 'embeddingsBaseUrl'
  | 'embeddingsApiKey'
  | 'embeddingsModel'
  | 'embeddingsDimensions'
>;

export function memoryFilePath(dataDir: string): string {
  return join(workspaceRoot(dataDir), 'MEMORY.md');
}

export function createEmbeddings(config: MemoryConfig): EmbeddingProvider {
  return config.embeddingsBaseUrl
    ? new HttpEmbeddings({
        baseUrl: config.embeddingsBaseUrl,
        apiKey: config.embeddingsApiKey,
        model: config.embeddingsModel,
        dimensions: config.embeddingsDimensions,
      })
    : new OfflineHashingEmbeddings();
}

export function createMemoryService(config: MemoryConfig, db: Db): MemoryService {
  const index = config.qdrantUrl
    ? new QdrantIndex(config.qdrantUrl, config.qdrantCollection, config.qdrantApiKey)
    : new EmbeddedIndex(db);
  return new MemoryService(new MarkdownMemory(memoryFilePath(config.dataDir)), index, createEmbeddings(config));
}
