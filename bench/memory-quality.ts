// Memory quality on a bilingual corpus (bench/memory-quality/corpus.ts): does search put
// the right fact first, and does automatic recall bring the relevant memories and nothing
// for small talk or questions the memory cannot answer? Runs the project's own path:
// MEMORY.md (MarkdownMemory) → MemoryService → the index (embedded in PostgreSQL, or
// Qdrant when QDRANT_URL is set), with the default embedding model, or the provider that
// EMBEDDINGS_BASE_URL / EMBEDDINGS_MODEL / EMBEDDINGS_API_KEY name (BENCH_EMBEDDINGS=offline:
// the offline hashing fallback).
//   npm run bench:memory-quality          (BENCH_VERBOSE=1 lists every miss)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedIndex } from '../activities/memory/embedded-index.ts';
import { OfflineHashingEmbeddings } from '../activities/memory/embeddings.ts';
import { factId, MarkdownMemory } from '../activities/memory/markdown-store.ts';
import type { MemoryIndex } from '../activities/memory/memory-index.ts';
import { createEmbeddings, MemoryService } from '../activities/memory/memory-service.ts';
import { QdrantIndex } from '../activities/memory/qdrant-index.ts';
import { loadConfig } from '../infra/config.ts';
import { prepareDatabase } from '../infra/database-setup.ts';
import { createDb } from '../infra/db.ts';
import { NO_ANSWER, OWNER_FACTS, OWNER_MESSAGES, PEOPLE, QUERIES } from './memory-quality/corpus.ts';
import type { QueryKind } from './memory-quality/corpus.ts';

const VERBOSE = process.env.BENCH_VERBOSE === '1';
const RECALL_TOKENS = 400;

async function main() {
  const config = loadConfig({ OWNER_TELEGRAM_ID: '1', LOG_LEVEL: 'warn', ...process.env }, { claude: false });
  const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jobs_bench_memory_quality';
  await prepareDatabase(url);
  const db = createDb(url);
  const dir = mkdtempSync(join(tmpdir(), 'jobs-memory-quality-'));
  const collection = `jobs_bench_quality_${randomUUID().slice(0, 8)}`;
  const index: MemoryIndex = config.qdrantUrl
    ? new QdrantIndex(config.qdrantUrl, collection, config.qdrantApiKey)
    : new EmbeddedIndex(db);
  const embeddings =
    process.env.BENCH_EMBEDDINGS === 'offline' ? new OfflineHashingEmbeddings() : createEmbeddings(config);
  try {
    await db.$transaction([db.memoryEntry.deleteMany({}), db.memoryIndexState.deleteMany({})]);
    const store = new MarkdownMemory(join(dir, 'MEMORY.md'));
    const ids = new Map<string, string>();
    for (const f of OWNER_FACTS) {
      await store.add({ scope: 'owner', aboutId: null, text: f.text });
      ids.set(factId('owner', null, f.text), f.key);
    }
    for (const p of PEOPLE) {
      for (const f of p.facts) {
        await store.add({ scope: 'contact', aboutId: p.id, text: f.text }, p.name);
        ids.set(factId('contact', p.id, f.text), f.key);
      }
    }
    const memory = new MemoryService(store, index, embeddings);
    await memory.sync(true);

    // Search: where the right fact lands.
    const ranks: Array<{ kind: QueryKind; rank: number }> = [];
    for (const q of QUERIES) {
      const hits = await memory.search(q.text, { limit: 10 });
      const keys = hits.map((h) => ids.get(h.fact.id));
      const found = keys.findIndex((k) => k !== undefined && q.answers.includes(k));
      const rank = found === -1 ? Infinity : found + 1;
      ranks.push({ kind: q.kind, rank });
      if (VERBOSE && rank > 1)
        console.log(`  miss (rank ${rank}) ${q.kind}: "${q.text}" → ${keys.slice(0, 3).join(', ')}`);
    }

    // Recall: what each owner message and unanswerable question would inject.
    const recalledKeys = async (text: string) =>
      (await memory.recall(text, RECALL_TOKENS)).map((line) => ids.get(/\[memory ([0-9a-f]{12})/.exec(line)![1]!)!);
    let noAnswerInjecting = 0;
    for (const text of NO_ANSWER) {
      const keys = await recalledKeys(text);
      if (keys.length) noAnswerInjecting++;
      if (VERBOSE && keys.length) console.log(`  no-answer "${text}" injected ${keys.join(', ')}`);
    }
    let smallTalk = 0;
    let smallTalkInjecting = 0;
    let relevantTotal = 0;
    let relevantFound = 0;
    let injected = 0;
    let injectedRelevant = 0;
    for (const m of OWNER_MESSAGES) {
      const keys = await recalledKeys(m.text);
      injected += keys.length;
      if (m.relevant.length === 0) {
        smallTalk++;
        if (keys.length) smallTalkInjecting++;
      }
      relevantTotal += m.relevant.length;
      const hits = keys.filter((k) => m.relevant.includes(k));
      relevantFound += hits.length;
      injectedRelevant += hits.length;
      if (VERBOSE && (keys.length !== hits.length || hits.length < m.relevant.length)) {
        console.log(`  recall "${m.text}": injected [${keys.join(', ')}], relevant [${m.relevant.join(', ')}]`);
      }
    }

    const at = (rs: typeof ranks, k: number) => rs.filter((r) => r.rank <= k).length / rs.length;
    const mrr = (rs: typeof ranks) => rs.reduce((s, r) => s + (r.rank === Infinity ? 0 : 1 / r.rank), 0) / rs.length;
    const cross = ranks.filter((r) => r.kind === 'cross-language');
    const f2 = (x: number) => x.toFixed(2);
    console.log(
      `memory quality: ${embeddings.model} on ${index.backend}; ${ids.size} facts, ${QUERIES.length} queries, ${NO_ANSWER.length} no-answer, ${OWNER_MESSAGES.length} owner messages`,
    );
    console.log(`  search       R@1 ${f2(at(ranks, 1))}  R@3 ${f2(at(ranks, 3))}  MRR ${f2(mrr(ranks))}`);
    for (const kind of ['same-language', 'paraphrase', 'cross-language', 'name', 'identifier'] as QueryKind[]) {
      const rs = ranks.filter((r) => r.kind === kind);
      console.log(
        `    ${kind.padEnd(15)} (${String(rs.length).padStart(2)})  R@1 ${f2(at(rs, 1))}  R@3 ${f2(at(rs, 3))}`,
      );
    }
    console.log(`  cross-language R@3 ${f2(at(cross, 3))}`);
    console.log(`  recall       no-answer questions injecting anything: ${noAnswerInjecting}/${NO_ANSWER.length}`);
    console.log(`               small talk injecting anything: ${smallTalkInjecting}/${smallTalk}`);
    console.log(
      `               relevant memories recalled: ${relevantFound}/${relevantTotal} (${f2(relevantFound / relevantTotal)}); precision ${f2(injected ? injectedRelevant / injected : 1)} (${injected} injected)`,
    );
  } finally {
    if (index instanceof QdrantIndex) await index.drop().catch(() => undefined);
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
