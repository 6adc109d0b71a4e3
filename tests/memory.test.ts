// The owner's memory end to end on the embedded index (the same scenarios run on Qdrant's
// engine in memory-qdrant.test.ts), the default embedding model, the offline fallback,
// and MEMORY.md shared by two workers.
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OfflineHashingEmbeddings } from '../activities/memory/embeddings.ts';
import { LocalModelEmbeddings, localModelPaths } from '../activities/memory/local-embeddings.ts';
import { MarkdownMemory } from '../activities/memory/markdown-store.ts';
import { createEmbeddings } from '../activities/memory/memory-service.ts';
import type { MemoryConfig } from '../activities/memory/memory-service.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { memoryScenarios } from './support/memory-scenarios.ts';

memoryScenarios('embedded');

/** No provider configured: what `npm start` does on a fresh machine. */
const noProvider: MemoryConfig = {
  dataDir: join(REPO_ROOT, 'tests', '.tmp'),
  qdrantUrl: undefined,
  qdrantApiKey: undefined,
  qdrantCollection: 'jobs_memory',
  embeddingsBaseUrl: undefined,
  embeddingsApiKey: undefined,
  embeddingsModel: 'text-embedding-3-small',
  embeddingsDimensions: undefined,
};

describe('the default embedding model', () => {
  it('is installed by the setup and started on first use when no provider is configured', async () => {
    const embeddings = createEmbeddings(noProvider);
    expect(embeddings).toBeInstanceOf(LocalModelEmbeddings);
    expect(embeddings.model).toBe('use-multilingual-v3');
    const [en, ru, other] = await embeddings.embed([
      'Ivan does not eat meat',
      'Иван не ест мясо',
      'The Q4 budget review is with the board',
    ]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(en!, ru!)).toBeGreaterThan(dot(en!, other!) + 0.3);
  });

  it('falls back to word matching, with a warning, when the model is not installed', () => {
    const python = localModelPaths.python;
    localModelPaths.python = join(REPO_ROOT, '.tools', 'no-such-python');
    try {
      expect(createEmbeddings(noProvider)).toBeInstanceOf(OfflineHashingEmbeddings);
    } finally {
      localModelPaths.python = python;
    }
  });
});

describe('offline embeddings (no service configured)', () => {
  it('is named for what it is, and matches shared words and names across scripts, not meaning', async () => {
    const offline = new OfflineHashingEmbeddings();
    expect(offline.model).toBe('offline-hashing-v1@128');
    const [ivanLatin, ivanCyrillic, coffee, espresso] = await offline.embed([
      'Ivan Petrov',
      'Иван Петров',
      'coffee',
      'espresso',
    ]);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(dot(ivanLatin!, ivanCyrillic!)).toBeGreaterThan(0.99);
    expect(Math.abs(dot(coffee!, espresso!))).toBeLessThan(0.5);
  });
});

describe('MEMORY.md written by two workers at once', () => {
  it('keeps every fact: writers take turns through a lock file', async () => {
    const path = join(mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'memory-')), 'MEMORY.md');
    // Two instances stand for two worker processes: they share nothing but the file.
    const a = new MarkdownMemory(path);
    const b = new MarkdownMemory(path);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => [
        a.add({ scope: 'owner', aboutId: null, text: `fact from worker A number ${i}` }),
        b.add({ scope: 'contact', aboutId: 7, text: `fact from worker B number ${i}` }, 'Bob'),
      ]).flat(),
    );
    const facts = await a.facts();
    expect(facts).toHaveLength(40);
    expect(facts.filter((f) => f.aboutId === 7)).toHaveLength(20);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
