// `npm run gateway`: the Telegram gateway alone (docker-compose's `gateway` service),
// against TEMPORAL_ADDRESS. It owns the MTProto connection and serves the `telegram`
// task queue.
import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../common/db.ts';
import { runEntrypoint, startup } from '../common/entrypoint.ts';
import { connectTemporal } from '../common/temporal.ts';
import { startTelegramGateway } from './telegram/run-gateway.ts';

runEntrypoint(async () => {
  const config = startup({ claude: false });
  const address = config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`;
  const connection = await connectTemporal(address);
  const nativeConnection = await NativeConnection.connect({ address });
  const db = createDb(config.databaseUrl);
  try {
    const gateway = await startTelegramGateway({
      config,
      db,
      client: new Client({ connection, namespace: config.temporalNamespace }),
      connection: nativeConnection,
    });
    try {
      await gateway.worker.run();
    } finally {
      await gateway.close();
    }
  } finally {
    await db.$disconnect();
    await nativeConnection.close();
    await connection.close();
  }
});
