// `npm run worker`: the main-queue worker alone, against TEMPORAL_ADDRESS (docker-compose).
import { Client } from '@temporalio/client';
import type { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../common/db.ts';
import { ensureSearchAttributes } from '../common/search-attributes.ts';
import { runEntrypoint, startup } from '../common/entrypoint.ts';
import { log } from '../common/logger.ts';
import { createClaudeClient } from './claude-client.ts';
import { createMainWorker } from './main-worker.ts';
import { connectTemporal } from '../common/temporal.ts';

async function run(): Promise<void> {
  const config = startup({ claude: true });
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  const connection: Connection = await connectTemporal(address);
  const nativeConnection = await NativeConnection.connect({ address });
  const db = createDb(config.databaseUrl);
  try {
    const client = new Client({ connection, namespace: config.temporalNamespace });
    await ensureSearchAttributes(connection, config.temporalNamespace);
    const worker = await createMainWorker({
      connection: nativeConnection,
      client,
      config,
      db,
      anthropic: createClaudeClient(config),
    });
    log.info('Worker running', { address, taskQueue: config.taskQueue });
    await worker.run();
  } finally {
    await db.$disconnect();
    await nativeConnection.close();
    await connection.close();
  }
}

runEntrypoint(run);
