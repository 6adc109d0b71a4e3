// `npm run worker`: the main-queue worker alone, against TEMPORAL_ADDRESS (docker-compose).
import { openConnections } from '../infra/connections.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log } from '../infra/logger.ts';
import { startMainWorker } from './main-worker.ts';

runEntrypoint(async () => {
  const config = startup({ claude: true });
  const conns = await openConnections(config, config.temporalAddress ?? `127.0.0.1:${config.temporalPort}`);
  try {
    const worker = await startMainWorker(conns, config);
    log.info('Worker running', { address: conns.address, taskQueue: config.taskQueue });
    await worker.run();
  } finally {
    await conns.close();
  }
});
