// Prisma CLI configuration. The JS schema engine (WebAssembly, shipped in npm) lets
// `prisma migrate` run without downloading Prisma's Rust engine.
import 'dotenv/config';
import { defineConfig } from 'prisma/config';
import { migrationAdapter } from './prisma/migration-adapter.ts';
import { DEFAULT_DATABASE_URL } from './common/defaults.ts';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => migrationAdapter(process.env.DATABASE_URL || DEFAULT_DATABASE_URL),
});
