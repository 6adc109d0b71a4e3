// Prisma CLI configuration. The JS schema engine (WebAssembly, shipped in npm) lets
// `prisma migrate` run without downloading Prisma's Rust engine.
import 'dotenv/config';
import { defineConfig } from 'prisma/config';
import { migrationAdapter } from './prisma/migration-adapter.ts';
import { DEFAULT_DATABASE_URL } from './infra/defaults.ts';

// The schema's `url = env("DATABASE_URL")` must resolve even for `prisma generate`,
// or the CLI falls back to downloading an engine (which fails offline).
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => migrationAdapter(process.env.DATABASE_URL!),
});
