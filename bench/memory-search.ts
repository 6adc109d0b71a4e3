// Memory search benchmark on the embedded index (PostgreSQL + in-process search), with
// the offline hashing embeddings (128 dimensions): index build rate (embed + write to
// PostgreSQL + in-memory index), then search latency p50/p99 at 10k and 100k facts.
// A search is what a turn's recall costs: embed the query, check the index version
// row, rank every fact in scope by vector and keywords. Target: p99 ≤ 50 ms at 100k.
//   npm run bench:memory          (BENCH_MEMORY_SIZES=10000,100000 BENCH_MEMORY_QUERIES=300)
import { performance } from 'node:perf_hooks';
import { EmbeddedIndex } from '../activities/memory/embedded-index.ts';
import { calibrate } from '../activities/memory/calibration.ts';
import { OfflineHashingEmbeddings } from '../activities/memory/embeddings.ts';
import type { IndexedFact } from '../activities/memory/memory-index.ts';
import { prepareDatabase } from '../infra/database-setup.ts';
import { createDb } from '../infra/db.ts';
import { percentile, runBench } from './harness.ts';

const SIZES = (process.env.BENCH_MEMORY_SIZES ?? '10000,100000').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_MEMORY_QUERIES ?? 300);
const BATCH = 1000;

// Synthetic but varied facts: people, places, habits, numbers.
const NAMES = [
  'Ivan Petrov',
  'Anna Schmidt',
  'Maria Ivanova',
  'John Smith',
  'Olga Sokolova',
  'Kenji Sato',
  'Lea Martin',
];
const TOPICS = ['coffee', 'tennis', 'budget', 'flight', 'dentist', 'birthday', 'contract', 'school', 'garden', 'piano'];
const VERBS = ['prefers', 'avoids', 'asked about', 'will handle', 'forgot', 'booked', 'pays for', 'dislikes'];
const WHEN = ['on Mondays', 'every morning', 'in March', 'after lunch', 'before the review', 'next quarter'];

function factText(i: number): string {
  const pick = <T>(xs: T[], salt: number) => xs[(i * 7919 + salt * 104729) % xs.length]!;
  return `${pick(NAMES, 1)} ${pick(VERBS, 2)} the ${pick(TOPICS, 3)} ${pick(WHEN, 4)} (note ${i}, ref ${(i * 2654435761) % 100000})`;
}

runBench(async () => {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/jobs_bench_memory';
  await prepareDatabase(url);
  const db = createDb(url);
  const embeddings = new OfflineHashingEmbeddings();
  const calibration = await calibrate(embeddings);
  try {
    let built = 0;
    await db.$transaction([db.memoryEntry.deleteMany({}), db.memoryIndexState.deleteMany({})]);
    for (const size of SIZES) {
      const writer = new EmbeddedIndex(db);
      const start = performance.now();
      for (let i = built; i < size; i += BATCH) {
        const texts = Array.from({ length: Math.min(BATCH, size - i) }, (_, k) => factText(i + k));
        const vectors = await embeddings.embed(texts);
        const facts: IndexedFact[] = texts.map((text, k) => ({
          id: `bench-${i + k}`,
          scope: (i + k) % 5 === 0 ? 'contact' : 'owner',
          aboutId: (i + k) % 5 === 0 ? 1000 + ((i + k) % 50) : null,
          text,
          model: embeddings.model,
          vector: vectors[k]!,
        }));
        await writer.upsert(facts);
      }
      const buildSeconds = (performance.now() - start) / 1000;
      const added = size - built;
      built = size;

      // A fresh index, as another worker would see it: the first search loads the cache.
      const reader = new EmbeddedIndex(db);
      const loadStart = performance.now();
      await reader.search({
        calibration,
        vector: (await embeddings.embed(['warm up']))[0]!,
        text: 'warm up',
        limit: 8,
      });
      const loadMs = performance.now() - loadStart;

      const latencies: number[] = [];
      for (let q = 0; q < QUERIES; q++) {
        const query =
          q % 3 === 0
            ? `${NAMES[q % NAMES.length]} ${TOPICS[q % TOPICS.length]}`
            : `who ${VERBS[q % VERBS.length]} the ${TOPICS[(q * 3) % TOPICS.length]}?`;
        const t0 = performance.now();
        const [vector] = await embeddings.embed([query]);
        const hits = await reader.search({
          calibration,
          vector: vector!,
          text: query,
          limit: 8,
          ...(q % 4 === 0 && { scope: 'contact' as const, aboutId: 1000 + (q % 10) * 5 }),
        });
        latencies.push(performance.now() - t0);
        if (hits.length === 0) throw new Error(`No hit for "${query}"`);
      }
      latencies.sort((a, b) => a - b);
      console.log(
        `${size.toLocaleString('en-US')} facts: build ${Math.round(added / buildSeconds).toLocaleString('en-US')} facts/s ` +
          `(${added.toLocaleString('en-US')} in ${buildSeconds.toFixed(1)} s); cold load ${loadMs.toFixed(0)} ms; ` +
          `search p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms over ${QUERIES} queries`,
      );
    }
  } finally {
    await db.$disconnect();
  }
});
