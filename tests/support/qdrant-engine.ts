// Qdrant's own engine for the test run: tests/support/qdrant-adapter.py (qdrant-edge-py behind
// Qdrant's REST API) from the venv scripts/test.sh installs into .tools/qdrant.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startPythonServer } from '../../activities/memory/local-embeddings.ts';
import { REPO_ROOT } from '../../infra/paths.ts';

const python = join(REPO_ROOT, '.tools', 'qdrant', 'bin', 'python');
const adapter = join(REPO_ROOT, 'tests', 'support', 'qdrant-adapter.py');

export async function startQdrantEngine(): Promise<{ url: string; stop(): void }> {
  if (!existsSync(python)) {
    throw new Error('No Qdrant engine for the tests: run them with `npm test`, which installs it (or set QDRANT_URL).');
  }
  const server = await startPythonServer(python, adapter, "Qdrant's engine (tests/support/qdrant-adapter.py)");
  return { url: `http://127.0.0.1:${server.port}`, stop: server.stop };
}
