// `npm run gateway`: the Telegram gateway alone (docker-compose's `gateway` service),
// against TEMPORAL_ADDRESS. It owns the MTProto connection and serves the `telegram`
// task queue.
import { openConnections } from '../infra/connections.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { startTelegramGateway } from './telegram/run-gateway.ts';

runEntrypoint(async () => {
  const config = startup({ claude: false });
  const conns = await openConnections(config, config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`);
  try {
    const gateway = await startTelegramGateway({
      config,
      db: conns.db,
      client: conns.client,
      connection: conns.nativeConnection,
    });
    try {
      await gateway.worker.run();
    } finally {
      await gateway.close();
    }
  } finally {
    await conns.close();
  }
});
