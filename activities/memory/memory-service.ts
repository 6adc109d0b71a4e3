// The owner's memory: MEMORY.md is the truth, the index follows it. Every read first
// syncs when the file changed (a hand edit is picked up on the next search or turn), so
// the index never answers with a fact the owner deleted. Only owner tools and the
// owner's turns use it; contacts' sessions never reach this object (see claude.ts and
// tools/execute.ts).
import { join } from 'node:path';
import type { Config } from '../../infra/config.ts';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { mentionsName } from '../tools/name-matching.ts';
import { workspaceRoot } from '../../infra/workspace.ts';
import { calibrate } from './calibration.ts';
import type { Calibration } from './calibration.ts';
import { EmbeddedIndex } from './embedded-index.ts';
import { EmbeddingError, HttpEmbeddings, OfflineHashingEmbeddings } from './embeddings.ts';
import type { EmbeddingProvider } from './embeddings.ts';
import { contentWords, withoutSmallTalk } from './keywords.ts';
import { LocalModelEmbeddings, localModelInstalled } from './local-embeddings.ts';
import { MarkdownMemory } from './markdown-store.ts';
import type { MemoryFact } from './markdown-store.ts';
import type { MemoryIndex, SearchHit } from './memory-index.ts';
import { QdrantIndex } from './qdrant-index.ts';

export interface SyncReport {
  added: number;
  removed: number;
  reembedded: number;
}

const CHARS_PER_TOKEN = 4;
const QUERY_CACHE = 64;
/** Recall looks at this many candidates, and keeps only the relevant ones. */
const RECALL_CANDIDATES = 10;
/** Recall searches with at most this many of the message's content words. */
const RECALL_QUERY_WORDS = 32;

/** Longer messages are searched by their content words only. */
const RECALL_RAW_CHARS = 400;

/**
 * Whether a hit is worth putting in front of the model unasked, on the model's own scale
 * (0 unrelated, 1 a typical match). A note of the owner's: when clearly related in meaning
 * (0.6; on bench/memory-quality 0.55-0.6 keeps every unanswerable question silent, lower
 * lets the nearest unrelated note in). A note about a person: when the message names that
 * person and is somewhat related, or unnamed only when the match is unmistakable ("Elena's
 * phone number" must not bring Maria's). Shared words alone never suffice.
 */
export function worthRecalling(hit: SearchHit, namesPerson: boolean): boolean {
  if (hit.fact.aboutId === null) return hit.semantic >= 0.6;
  return namesPerson ? hit.semantic >= 0.3 : hit.semantic >= 0.75;
}

/**
 * What recall searches with: nothing for small talk (no content words once greetings are
 * set aside); a short message as written (models read sentences better than word lists);
 * a long one by its content words.
 */
export function recallQuery(message: string): string {
  const words = contentWords(withoutSmallTalk(message));
  if (words.length === 0) return '';
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length <= RECALL_RAW_CHARS ? text : words.slice(0, RECALL_QUERY_WORDS).join(' ');
}

export class MemoryService {
  private syncedSignature: string | undefined;
  /** Recent query vectors: a turn's tool rounds recall with the same text, and an embedding call costs a round trip. */
  private queryVectors = new Map<string, Float32Array>();
  private syncing: Promise<SyncReport> | undefined;
  private calibration: Promise<Calibration> | undefined;
  /** Each person's name (from "## About <name>"), to tell when a message names them. */
  private personNames = new Map<number, string>();

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
    this.personNames = new Map(facts.filter((f) => f.aboutName).map((f) => [f.aboutId!, f.aboutName!]));
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

  /**
   * Writes the fact to MEMORY.md (the truth) and indexes it. When the embeddings service
   * fails, the fact stays saved (`indexed: false`) and the next sync indexes it: a retry
   * would find it written already, and the owner is told it is kept.
   */
  async save(text: string, about?: { id: number; name: string }): Promise<MemoryFact & { indexed: boolean }> {
    const fact = await this.store.add(
      { scope: about ? 'contact' : 'owner', aboutId: about?.id ?? null, text },
      about?.name,
    );
    try {
      await this.sync();
    } catch (err) {
      if (!(err instanceof EmbeddingError)) throw err;
      log.warn('Memory saved but not indexed yet', { error: err.message });
      return { ...fact, indexed: false };
    }
    return { ...fact, indexed: true };
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
    const [vector, calibration] = await Promise.all([this.queryVector(query), this.modelScale()]);
    return this.index.search({
      vector,
      text: query,
      calibration,
      scope: opts.scope,
      aboutId: opts.aboutId,
      limit: opts.limit ?? 8,
    });
  }

  /** The embedding model's scale (calibration.ts), learned once per process. */
  private modelScale(): Promise<Calibration> {
    this.calibration ??= calibrate(this.embeddings).catch((err: unknown) => {
      this.calibration = undefined;
      throw err;
    });
    return this.calibration;
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

  /** The memories relevant to the owner's message, as lines, within a token budget; none for small talk. */
  async recall(message: string, budgetTokens: number): Promise<string[]> {
    const query = recallQuery(message);
    if (budgetTokens <= 0 || !query) return [];
    const hits = await this.search(query, { limit: RECALL_CANDIDATES });
    const names = (aboutId: number | null) =>
      aboutId !== null && mentionsName(message, this.personNames.get(aboutId) ?? '');
    const lines: string[] = [];
    let used = 0;
    for (const hit of hits.filter((h) => worthRecalling(h, names(h.fact.aboutId)))) {
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

let warnedOffline = false;

/**
 * The configured provider; else the multilingual model installed by scripts/bootstrap.sh;
 * else, as the last resort, the offline hashing embeddings (words, not meaning), with a warning.
 */
export function createEmbeddings(config: MemoryConfig): EmbeddingProvider {
  if (config.embeddingsBaseUrl) {
    return new HttpEmbeddings({
      baseUrl: config.embeddingsBaseUrl,
      apiKey: config.embeddingsApiKey,
      model: config.embeddingsModel,
      dimensions: config.embeddingsDimensions,
    });
  }
  if (localModelInstalled()) return new LocalModelEmbeddings();
  if (!warnedOffline) {
    warnedOffline = true;
    log.warn(
      'Memory has no embedding model: it will match words, not meaning. Run scripts/bootstrap.sh (it installs one into .tools/embeddings) or set EMBEDDINGS_BASE_URL.',
    );
  }
  return new OfflineHashingEmbeddings();
}

export function createMemoryService(config: MemoryConfig, db: Db): MemoryService {
  const index = config.qdrantUrl
    ? new QdrantIndex(config.qdrantUrl, config.qdrantCollection, config.qdrantApiKey)
    : new EmbeddedIndex(db);
  return new MemoryService(new MarkdownMemory(memoryFilePath(config.dataDir)), index, createEmbeddings(config));
}
