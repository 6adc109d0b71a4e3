// Where things are on disk, relative to the repository (not the current directory).
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** The project-local virtual environment where the pinned Temporal CLI is installed. */
export const VENV_BIN = fileURLToPath(new URL('../.tools/venv/bin/', import.meta.url));
