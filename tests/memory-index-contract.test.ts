// One contract, two memory index backends, both in every run: the embedded index
// (PostgreSQL + in-process search) and the Qdrant index on Qdrant's own engine (the run's
// adapter from global-setup.ts, or the server QDRANT_URL names). The same keyword queries
// must find the same facts on both; the Qdrant index must handle its collection safely.
// Every collection a test creates is deleted afterwards.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EmbeddedIndex } from '../activities/memory/embedded-index.ts';
import { normalize, OfflineHashingEmbeddings } from '../activities/memory/embeddings.ts';
import { MarkdownMemory } from '../activities/memory/markdown-store.ts';
import { MemoryService } from '../activities/memory/memory-service.ts';
import type { IndexedFact, MemoryIndex, SearchHit } from '../activities/memory/memory-index.ts';
import { QdrantCollectionError, QdrantIndex } from '../activities/memory/qdrant-index.ts';
import { createDb } from '../infra/db.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import type { Db } from '../infra/db.ts';
import { createIsolatedDatabase } from './support/isolated-database.ts';

const qdrantUrl = inject('qdrantUrl');
const qdrant = new QdrantClient({ url: qdrantUrl, checkCompatibility: false });
/** Hand-made vectors: a cosine of 1 is a match, 0 unrelated. */
const calibration = { model: 'test-model', unrelated: 0, related: 1 };
let db: Db;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const collections: string[] = [];

/** A collection name of this run's own, deleted after the file. */
function collectionName(): string {
  const name = `jobs_test_${randomUUID().slice(0, 8)}`;
  collections.push(name);
  return name;
}

beforeAll(async () => {
  database = await createIsolatedDatabase('memory_contract');
  db = createDb(database.url);
});

afterAll(async () => {
  for (const name of collections) await qdrant.deleteCollection(name).catch(() => undefined);
  await db?.$disconnect();
  await database?.drop();
});

/** A unit vector along `axis` with a little of `other`: hand-made meanings. */
function vec(axis: number, other = -1, weight = 0.3, size = 8): Float32Array {
  const v = new Float32Array(size);
  v[axis] = 1;
  if (other >= 0) v[other] = weight;
  return normalize(v);
}

function fact(id: string, text: string, vector: Float32Array, aboutId: number | null = null): IndexedFact {
  return { id, text, vector, aboutId, scope: aboutId === null ? 'owner' : 'contact', model: 'test-model' };
}

const BACKENDS: Array<[string, () => MemoryIndex]> = [
  ['embedded index (PostgreSQL)', () => new EmbeddedIndex(db)],
  [
    `Qdrant index (${process.env.QDRANT_URL ? 'QDRANT_URL' : "Qdrant's engine, qdrant-edge-py"})`,
    () => new QdrantIndex(qdrantUrl, collectionName()),
  ],
];

for (const [name, make] of BACKENDS) {
  describe(name, () => {
    let index: MemoryIndex;
    beforeAll(async () => {
      index = make();
      await index.upsert([
        fact('coffee', 'Olga drinks her coffee black', vec(0)),
        fact('tennis', 'Plays tennis on Thursdays', vec(1)),
        fact('flight', 'Prefers aisle seats on long flights', vec(2, 0, 0.2)),
        fact('ivan', 'Ivan Petrov is allergic to nuts', vec(3), 42),
        fact('anna', 'Anna Schmidt likes green tea', vec(4), 43),
      ]);
    });

    it('finds the nearest fact by vector', async () => {
      const hits = await index.search({
        calibration,
        vector: vec(0, 2, 0.1),
        text: 'what does she drink in the morning',
        limit: 3,
      });
      expect(hits[0]!.fact.id).toBe('coffee');
      expect(hits[0]!.similarity).toBeGreaterThan(0.9);
    });

    it('finds names and exact phrases by keyword even when the vector points elsewhere', async () => {
      const byName = await index.search({ calibration, vector: vec(5), text: 'Schmidt', limit: 3 });
      expect(byName[0]!.fact.id).toBe('anna');
      const byPhrase = await index.search({ calibration, vector: vec(6), text: 'aisle seats', limit: 3 });
      expect(byPhrase[0]!.fact.id).toBe('flight');
    });

    it('filters by scope and by the person a fact is about', async () => {
      const owners = await index.search({ calibration, vector: vec(3), text: 'allergic', scope: 'owner', limit: 5 });
      expect(owners.map((h) => h.fact.id)).not.toContain('ivan');
      const aboutAnna = await index.search({
        calibration,
        vector: vec(3),
        text: 'tea allergic',
        scope: 'contact',
        aboutId: 43,
        limit: 5,
      });
      expect(aboutAnna.map((h) => h.fact.id)).toEqual(['anna']);
      const aboutIvan = await index.search({
        calibration,
        vector: vec(3),
        text: 'x',
        scope: 'contact',
        aboutId: 42,
        limit: 5,
      });
      expect(aboutIvan.map((h) => h.fact)).toEqual([
        { id: 'ivan', scope: 'contact', aboutId: 42, text: 'Ivan Petrov is allergic to nuts' },
      ]);
    });

    it('lists entries with their model, replaces on upsert, and forgets on remove', async () => {
      expect((await index.entries()).get('tennis')).toBe('test-model');
      await index.upsert([{ ...fact('tennis', 'Plays tennis on Fridays now', vec(1)), model: 'other-model' }]);
      expect((await index.entries()).get('tennis')).toBe('other-model');
      const hits = await index.search({ calibration, vector: vec(1), text: 'tennis', limit: 1 });
      expect(hits[0]!.fact.text).toBe('Plays tennis on Fridays now');
      await index.remove(['tennis']);
      expect((await index.entries()).has('tennis')).toBe(false);
      const after = await index.search({ calibration, vector: vec(1), text: 'tennis', limit: 5 });
      expect(after.map((h) => h.fact.id)).not.toContain('tennis');
    });
  });
}

describe('keyword parity between the indexes', () => {
  // The query's vector points at 70 filler facts (cosines 0.24 to 0.36), none of which answers it:
  // the answer is found by keywords or not at all, on both indexes alike.
  const query = vec(0);
  const fillers = Array.from({ length: 70 }, (_, i) =>
    fact(
      `filler-${i}`,
      `Note ${i}: is it in the drawer or on the shelf, ask again`,
      vec(1 + (i % 5), 0, 0.25 + i * 0.002),
    ),
  );
  const answers = [
    fact('petrov', 'Иван Петров is allergic to nuts', vec(6), 42),
    fact('anna', 'Anna Schmidt likes green tea', vec(7), 43),
    fact('vitamin', 'Takes vitamin C every morning', vec(6)),
    fact('file', 'The Schmidt file is in the blue folder', vec(7)),
  ];
  const indexes: MemoryIndex[] = [];

  beforeAll(async () => {
    // A database of its own: the contract's embedded index above holds other facts.
    const own = await createIsolatedDatabase('memory_parity');
    const ownDb = createDb(own.url);
    indexes.push(new EmbeddedIndex(ownDb), new QdrantIndex(qdrantUrl, collectionName()));
    for (const index of indexes) await index.upsert([...fillers, ...answers]);
    return async () => {
      await ownDb.$disconnect();
      await own.drop();
    };
  });

  const ranked = (hits: SearchHit[]) => hits.map((h) => `${h.fact.id} ${h.score.toFixed(4)}`);

  it.each([
    ['Ivan Petrov', 'petrov'],
    ['Shmidt', 'anna'],
    ['C', 'vitamin'],
    ['is it in the Schmidt file', 'file'],
  ])('"%s" finds %s first on both, with the same ranking', async (text, expected) => {
    const [embedded, qdrantHits] = await Promise.all(
      indexes.map((index) => index.search({ calibration, vector: query, text, limit: 5 })),
    );
    expect(embedded![0]!.fact.id).toBe(expected);
    expect(ranked(qdrantHits!)).toEqual(ranked(embedded!));
  });
});

describe("Qdrant index: the collection's safety", () => {
  const facts = (n: number, size = 8, model = 'test-model') =>
    Array.from({ length: n }, (_, i) => ({ ...fact(`f${i}`, `Fact number ${i}`, vec(i % size, -1, 0, size)), model }));

  it('two memory services (two workers) creating the collection at once both succeed, with every payload index', async () => {
    const name = collectionName();
    const path = join(mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'memory-')), 'MEMORY.md');
    const worker = () =>
      new MemoryService(new MarkdownMemory(path), new QdrantIndex(qdrantUrl, name), new OfflineHashingEmbeddings());
    const [a, b] = [worker(), worker()];
    for (let i = 0; i < 5; i++) await a.store.add({ scope: 'owner', aboutId: null, text: `Fact number ${i}` });
    const reports = await Promise.all([a.sync(), b.sync()]);
    expect(reports.map((r) => r.added)).toEqual([5, 5]);
    expect((await a.index.entries()).size).toBe(5);
    expect((await b.search('Fact number 3'))[0]!.fact.text).toBe('Fact number 3');
    const info = await qdrant.getCollection(name);
    expect(Object.keys(info.payload_schema).sort()).toEqual(['aboutId', 'prefixes', 'scope', 'terms']);
  });

  it('repairs an existing collection whose payload indexes are missing', async () => {
    const name = collectionName();
    await qdrant.createCollection(name, { vectors: { size: 8, distance: 'Cosine' } });
    await new QdrantIndex(qdrantUrl, name).upsert(facts(2));
    const info = await qdrant.getCollection(name);
    expect(Object.keys(info.payload_schema).sort()).toEqual(['aboutId', 'prefixes', 'scope', 'terms']);
  });

  it("refuses someone else's collection (named vectors, or points Jobs did not write) and leaves it untouched", async () => {
    const named = collectionName();
    await qdrant.createCollection(named, { vectors: { image: { size: 8, distance: 'Cosine' } } });
    await qdrant.upsert(named, {
      wait: true,
      points: [{ id: 1, vector: { image: Array.from(vec(0)) }, payload: { caption: 'a cat' } }],
    });
    const plain = collectionName();
    await qdrant.createCollection(plain, { vectors: { size: 8, distance: 'Cosine' } });
    await qdrant.upsert(plain, {
      wait: true,
      points: [{ id: 1, vector: Array.from(vec(0)), payload: { caption: 'a dog' } }],
    });

    for (const name of [named, plain]) {
      const index = new QdrantIndex(qdrantUrl, name);
      await expect(index.upsert(facts(2))).rejects.toThrow(QdrantCollectionError);
      await expect(index.upsert(facts(2, 16))).rejects.toThrow(`QDRANT_COLLECTION "${name}"`);
      await expect(index.entries()).rejects.toThrow(/left untouched/);
      await expect(index.search({ calibration, vector: vec(0), text: 'cat', limit: 3 })).rejects.toThrow(
        QdrantCollectionError,
      );
    }
    const namedInfo = await qdrant.getCollection(named);
    expect(namedInfo.points_count).toBe(1);
    expect(namedInfo.config.params.vectors).toEqual({ image: { size: 8, distance: 'Cosine' } });
    const points = await qdrant.scroll(plain, { with_payload: true, with_vector: false });
    expect(points.points.map((p) => p.payload)).toEqual([{ caption: 'a dog' }]);
  });

  it('a model change by one worker is noticed by the others, and re-made only once', async () => {
    const name = collectionName();
    const first = new QdrantIndex(qdrantUrl, name);
    await first.upsert(facts(3, 8, 'model-8'));
    // Another worker, running all along with the old model.
    const old = new QdrantIndex(qdrantUrl, name);
    expect(await old.search({ calibration, vector: vec(1), text: 'Fact', limit: 1 })).toHaveLength(1);
    await sleep(5);
    // A worker restarted with a model of another size re-makes the collection.
    const restarted = new QdrantIndex(qdrantUrl, name);
    await restarted.upsert(facts(3, 16, 'model-16'));
    expect(new Set((await old.entries()).values())).toEqual(new Set(['model-16']));
    // The old worker is told plainly, and does not re-make it back.
    await expect(old.search({ calibration, vector: vec(1), text: 'Fact', limit: 1 })).rejects.toThrow(
      /another worker changed the embedding model/,
    );
    await expect(old.upsert(facts(3, 8, 'model-8'))).rejects.toThrow(/newer worker/);
    expect(new Set((await restarted.entries()).values())).toEqual(new Set(['model-16']));
    const hits = await restarted.search({ calibration, vector: vec(1, -1, 0, 16), text: 'Fact', limit: 1 });
    expect(hits[0]!.fact.id).toBe('f1');
  });

  it('drops the collections it creates', async () => {
    const name = collectionName();
    const index = new QdrantIndex(qdrantUrl, name);
    await index.upsert(facts(1));
    await index.drop();
    expect((await qdrant.collectionExists(name)).exists).toBe(false);
  });
});

describe('embedded index across processes', () => {
  it("sees another worker's changes (version row), without a restart", async () => {
    const a = new EmbeddedIndex(db);
    const b = new EmbeddedIndex(db);
    await a.upsert([fact('shared', 'A fact written by worker A about budgets', vec(5))]);
    expect((await b.search({ calibration, vector: vec(5), text: 'budgets', limit: 1 }))[0]!.fact.id).toBe('shared');
    await b.remove(['shared']);
    expect(
      (await a.search({ calibration, vector: vec(5), text: 'budgets', limit: 5 })).map((h) => h.fact.id),
    ).not.toContain('shared');
  });
});
