// Driver adapter for the Prisma CLI's JS schema engine (migrations only; the running
// app uses a plain PrismaPg adapter).
//
// Works around prisma/orm#27403: with @prisma/adapter-pg the JS schema engine fails
// with "Column type 'name' (or 'char') could not be deserialized" when it introspects
// catalog columns. The shim reports those PostgreSQL types as `text`, which they are
// textually. Remove this file once the upstream fix ships in the Prisma 6 line.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

const PG_NAME = 19;
const PG_CHAR = 18;
const PG_TEXT = 25;

class CatalogTypesAsTextPool extends pg.Pool {
  // pg's overloads make a precise override signature impractical; the adapter only
  // uses the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!(result instanceof Promise)) return result;
    return result.then((res: pg.QueryResult) => {
      for (const field of res?.fields ?? []) {
        if (field.dataTypeID === PG_NAME || field.dataTypeID === PG_CHAR) field.dataTypeID = PG_TEXT;
      }
      return res;
    });
  }
}

// Every connection gets its own shimmed pool, closed with it: the schema engine opens
// and disposes several connections (main, shadow, admin) during one command. Idle pool
// connections do not keep the finished CLI alive (see exit-when-done.cjs).
function connectShimmed(connectionString: string) {
  return new PrismaPg(new CatalogTypesAsTextPool({ connectionString, allowExitOnIdle: true }), {
    disposeExternalPool: true,
  }).connect();
}

class MigrationPg extends PrismaPg {
  constructor(private readonly connectionString: string) {
    super({ connectionString });
  }

  override connect() {
    return connectShimmed(this.connectionString);
  }

  // `migrate dev` diffs against a throwaway shadow database; it needs the shim too.
  override async connectToShadowDb() {
    const admin = await this.connect();
    const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID().replaceAll('-', '')}`;
    await admin.executeScript(`CREATE DATABASE "${database}"`);
    const url = new URL(this.connectionString);
    url.pathname = `/${database}`;
    const shadow = await connectShimmed(url.toString());
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.dispose();
    };
    return shadow;
  }
}

export function migrationAdapter(connectionString: string) {
  return new MigrationPg(connectionString);
}
