// `.env` at the repository root, read with Node's own parser (process.loadEnvFile):
// variables already in the environment win over the file.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.ts';

export function loadEnvFile(): void {
  const path = join(REPO_ROOT, '.env');
  if (existsSync(path)) process.loadEnvFile(path);
}
