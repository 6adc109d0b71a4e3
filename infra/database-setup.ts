// Makes sure the database exists and is migrated, with one clear sentence when it
// cannot be reached. Migrations run through the Prisma CLI (JS schema engine, offline).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { UserFacingError } from './errors.ts';
import { redact } from './logger.ts';
import { REPO_ROOT } from './paths.ts';

export class DatabaseUnavailable extends UserFacingError {}

export async function ensureDatabase(databaseUrl: string): Promise<void> {
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
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
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

/** Applies pending migrations (`prisma migrate deploy`). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaBin = join(REPO_ROOT, 'node_modules', '.bin', 'prisma');
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(prismaBin, ['migrate', 'deploy'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
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
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
}
