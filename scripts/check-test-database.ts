// Before the tests: is PostgreSQL there? One sentence if not, instead of a stack trace.
import { DatabaseUnavailable, ensureDatabase } from '../infra/database-setup.ts';

const url = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
try {
  await ensureDatabase(url);
} catch (err) {
  process.stderr.write(
    `jobs: ${err instanceof DatabaseUnavailable ? err.message : String(err)} (tests use TEST_POSTGRES_URL, default ${url.replace(/:[^:@/]*@/, ':***@')})\n`,
  );
  process.exit(1);
}
