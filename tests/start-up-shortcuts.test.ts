// What makes a restart quick must never make it wrong: migrations are skipped only when
// every one is applied unchanged, and the cached workflow bundle is reused only while
// every file it was built from is unchanged.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isMigrated, prepareDatabase } from '../infra/database-setup.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { cachedWorkflowBundle } from '../worker/workflow-bundle.ts';

describe('a restart skips migrations only when there is nothing to apply', () => {
  const url = new URL(inject('databaseUrl'));
  url.pathname = `${url.pathname}_shortcuts`;
  const databaseUrl = url.toString();
  const admin = () => {
    const u = new URL(databaseUrl);
    u.pathname = '/postgres';
    return new pg.Client({ connectionString: u.toString() });
  };
  const query = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as Array<Record<string, string>>;
    } finally {
      await client.end();
    }
  };

  afterAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    await client.end();
  });

  it('knows a new database needs them, a migrated one does not, and an edited or failed one does', async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE "${url.pathname.slice(1)}"`);
    await client.end();
    expect(await isMigrated(databaseUrl)).toBe(false);

    await prepareDatabase(databaseUrl);
    expect(await isMigrated(databaseUrl)).toBe(true);

    // A migration file changed since it was applied: the CLI must see (and report) it.
    const [first] = await query(
      `SELECT migration_name, checksum FROM _prisma_migrations ORDER BY migration_name LIMIT 1`,
    );
    await query(`UPDATE _prisma_migrations SET checksum = 'edited' WHERE migration_name = '${first!.migration_name}'`);
    expect(await isMigrated(databaseUrl)).toBe(false);
    await query(
      `UPDATE _prisma_migrations SET checksum = '${first!.checksum}' WHERE migration_name = '${first!.migration_name}'`,
    );
    expect(await isMigrated(databaseUrl)).toBe(true);

    // A migration that failed half-way is left for the CLI to explain.
    await query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('failed-one', 'x', '99999999999999_failed', now(), 0)`,
    );
    expect(await isMigrated(databaseUrl)).toBe(false);
  });
});

describe('the cached workflow bundle', () => {
  let root: string;
  const workflows = () => join(root, 'workflows', 'index.ts');
  const cache = () => join(root, 'cache');

  beforeAll(() => {
    root = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'bundle-'));
    mkdirSync(join(root, 'workflows'));
    writeFileSync(join(root, 'workflows', 'greeting.ts'), `export const greeting = 'hello, first version';\n`);
    writeFileSync(
      workflows(),
      `import { greeting } from './greeting.ts';\nexport async function greet(): Promise<string> {\n  return greeting;\n}\n`,
    );
  });

  const code = (bundle: Awaited<ReturnType<typeof cachedWorkflowBundle>>) =>
    'codePath' in bundle ? readFileSync(bundle.codePath, 'utf8') : bundle.code;

  it('is built once, reused while nothing changed, and rebuilt when a file it includes changes', async () => {
    const first = await cachedWorkflowBundle(workflows(), cache(), root);
    expect(first.rebuilt).toBe(true);
    expect(code(first)).toContain('hello, first version');

    const again = await cachedWorkflowBundle(workflows(), cache(), root);
    expect(again.rebuilt).toBe(false);

    // An imported file, not the entry point, changes.
    writeFileSync(join(root, 'workflows', 'greeting.ts'), `export const greeting = 'hello, second version';\n`);
    const changed = await cachedWorkflowBundle(workflows(), cache(), root);
    expect(changed.rebuilt).toBe(true);
    expect(code(changed)).toContain('hello, second version');
    expect(code(changed)).not.toContain('hello, first version');
  });
});
