// Once per test run: a fresh PostgreSQL database with the migrations applied, the
// workflow bundle built once for every test file's workers, and the default embedding
// model's server and Qdrant's engine (one each for the whole run, shared by every file).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { localModelInstalled, startLocalModelServer } from '../../activities/memory/local-embeddings.ts';
import { prepareDatabase } from '../../infra/database-setup.ts';
import { REPO_ROOT, WORKFLOWS_PATH } from '../../infra/paths.ts';
import { findTemporalCli, findTemporalTestServer } from '../../infra/temporal.ts';
import { startQdrantEngine } from './qdrant-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    workflowBundlePath: string;
    temporalCliPath: string;
    temporalTestServerPath: string;
    /** The run's shared local embedding model (OpenAI-compatible base URL). */
    embeddingsUrl: string;
    /** Qdrant for the Qdrant index's suites: QDRANT_URL if set, else Qdrant's engine behind the test adapter. */
    qdrantUrl: string;
  }
}

const SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export default async function setup(project: TestProject) {
  const temporalCliPath = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (!temporalCliPath) throw new Error('No Temporal CLI: run the tests with `npm test`, which installs it.');
  const temporalTestServerPath = findTemporalTestServer();
  if (!temporalTestServerPath) {
    throw new Error('No Temporal time-skipping test server: run the tests with `npm test`, which installs it.');
  }

  if (!localModelInstalled()) {
    throw new Error(
      'No local embedding model: run the tests with `npm test`, which installs it into .tools/embeddings.',
    );
  }
  const embeddings = await startLocalModelServer();
  const qdrant = process.env.QDRANT_URL
    ? { url: process.env.QDRANT_URL, stop: () => undefined }
    : await startQdrantEngine();

  const url = new URL(SERVER_URL);
  url.pathname = `/jobs_test_${Date.now()}_${process.pid}`;
  const databaseUrl = url.toString();
  await prepareDatabase(databaseUrl);

  const tmp = join(REPO_ROOT, 'tests', '.tmp');
  mkdirSync(tmp, { recursive: true });
  const workflowBundlePath = join(tmp, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  writeFileSync(workflowBundlePath, code);

  project.provide('databaseUrl', databaseUrl);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('temporalCliPath', temporalCliPath);
  project.provide('temporalTestServerPath', temporalTestServerPath);
  project.provide('embeddingsUrl', embeddings.baseUrl);
  project.provide('qdrantUrl', qdrant.url);

  return async () => {
    embeddings.stop();
    qdrant.stop();
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${url.pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  };
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
