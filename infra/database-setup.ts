// Makes sure the database exists and is migrated, with one clear sentence when it
// cannot be reached. Migrations run through the Prisma CLI (JS schema engine, offline),
// and only when there is something to apply: a restart does not pay for the CLI.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { UserFacingError } from './errors.ts';
import { redact } from './logger.ts';
import { REPO_ROOT } from './paths.ts';

export class DatabaseUnavailable extends UserFacingError {}

/** Creates the database if it does not exist; true when it did not. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.slice(1));
  const where = `${url.hostname}:${url.port || 5432}`;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new DatabaseUnavailable(describeConnectError(err, where, url.username));
  }
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount !== 0) return false;
    await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
    return true;
  } finally {
    await client.end();
  }
}

function describeConnectError(err: unknown, where: string, user: string): string {
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || /timeout/i.test(String(err))) {
    return `PostgreSQL is not reachable at ${where}: start it (on Debian: pg_ctlcluster <version> main start) or point DATABASE_URL at a running server.`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `The PostgreSQL host in DATABASE_URL (${where}) does not resolve: check DATABASE_URL.`;
  }
  if (code === '28P01' || code === '28000') {
    return `PostgreSQL refused the login for user "${user}" at ${where}: check the user and password in DATABASE_URL.`;
  }
  return `PostgreSQL at ${where} could not be used (${redact((err as Error).message)}): check DATABASE_URL.`;
}

const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');

/**
 * Whether every migration in prisma/migrations is applied, unchanged (Prisma's checksum is
 * the SHA-256 of migration.sql), and none is left failed: then `migrate deploy` has nothing
 * to do. Anything else (a new database, a new or edited migration, a failed one) goes to
 * the CLI, which applies or explains it.
 */
export async function isMigrated(databaseUrl: string): Promise<boolean> {
  const local = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(MIGRATIONS_DIR, d.name, 'migration.sql')))
    .map((d) => ({
      name: d.name,
      checksum: createHash('sha256')
        .update(readFileSync(join(MIGRATIONS_DIR, d.name, 'migration.sql')))
        .digest('hex'),
    }));
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished: boolean }>(
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    if (rows.some((r) => !r.finished)) return false;
    const applied = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    return local.every((m) => applied.get(m.name) === m.checksum);
  } catch {
    // No migrations table yet, or the database is not usable: the CLI says what is wrong.
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Applies pending migrations (`prisma migrate deploy`), on the Node.js that runs this process. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaCli = join(REPO_ROOT, 'node_modules', 'prisma', 'build', 'index.js');
  const exitWhenDone = join(REPO_ROOT, 'prisma', 'exit-when-done.cjs');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', exitWhenDone, prismaCli, 'migrate', 'deploy'], {
      cwd: REPO_ROOT,
      // No update check or telemetry: they reach for the network and add nothing here.
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new DatabaseUnavailable(`Database migration failed:\n${redact(output.join('').trim())}`);
  }
}

export async function prepareDatabase(databaseUrl: string): Promise<void> {
  const created = await ensureDatabase(databaseUrl);
  if (created || !(await isMigrated(databaseUrl))) await migrateDatabase(databaseUrl);
}
