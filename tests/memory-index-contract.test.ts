// One contract, two memory index backends: the embedded index (PostgreSQL + in-process
// search) always; Qdrant when QDRANT_URL points at one (no fake Qdrant: skipped, and
// reported as skipped, otherwise).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedIndex } from '../activities/memory/embedded-index.ts';
import { normalize } from '../activities/memory/embeddings.ts';
import type { IndexedFact, MemoryIndex } from '../activities/memory/memory-index.ts';
import { QdrantIndex } from '../activities/memory/qdrant-index.ts';
import { createDb } from '../common/db.ts';
import type { Db } from '../common/db.ts';
import { createIsolatedDatabase } from './support/isolated-database.ts';

const QDRANT_URL = process.env.QDRANT_URL;
/** Hand-made vectors: a cosine of 1 is a match, 0 unrelated. */
const calibration = { model: 'test-model', unrelated: 0, related: 1 };
let db: Db;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;

beforeAll(async () => {
  database = await createIsolatedDatabase('memory_contract');
  db = createDb(database.url);
});

afterAll(async () => {
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

function contract(name: string, make: () => MemoryIndex) {
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

contract('embedded index (PostgreSQL)', () => new EmbeddedIndex(db));

if (QDRANT_URL) {
  contract('Qdrant index', () => new QdrantIndex(QDRANT_URL, `jobs_contract_${randomUUID().slice(0, 8)}`));
} else {
  describe('Qdrant index', () => {
    it.skip('runs only with QDRANT_URL set (no Qdrant on this machine)', () => undefined);
  });
}

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
