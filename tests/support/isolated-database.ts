// A database of its own for a test file whose data is global by design (the owner's MCP
// servers), so parallel test files do not see each other's configuration.
import pg from 'pg';
import { inject } from 'vitest';
import { prepareDatabase } from '../../infra/database-setup.ts';

export async function createIsolatedDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const url = new URL(inject('databaseUrl'));
  const database = `${url.pathname.slice(1)}_${name}`;
  url.pathname = `/${database}`;
  await prepareDatabase(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const admin = new URL(url);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await client.end();
    },
  };
}
