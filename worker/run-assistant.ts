// `npm start`: the whole assistant in one process. Prepares the database, starts the
// embedded Temporal dev server unless TEMPORAL_ADDRESS names a cluster, and runs the
// worker until Ctrl-C.
import { openConnections } from '../infra/connections.ts';
import { prepareDatabase } from '../infra/database-setup.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log } from '../infra/logger.ts';
import { findTemporalCli, startEmbeddedTemporal, TemporalUnavailable } from '../infra/temporal.ts';
import type { EmbeddedTemporal } from '../infra/temporal.ts';
import { startMainWorker } from './main-worker.ts';
import { TelegramLoginNeeded } from '../gateway/telegram/client.ts';
import { startTelegramGateway } from '../gateway/telegram/run-gateway.ts';
import { loadTelegramSession } from '../gateway/telegram/session-store.ts';

async function run(): Promise<void> {
  const config = startup({ claude: true });
  if (config.telegramApiId && !(await loadTelegramSession(config))) {
    throw new TelegramLoginNeeded(
      'No Telegram login yet: run `npm run setup` to log in to your account, then `npm start`.',
    );
  }
  await prepareDatabase(config.databaseUrl);
  log.info('Database ready');

  let embedded: EmbeddedTemporal | undefined;
  let address = config.temporalAddress;
  if (!address) {
    const cliPath = findTemporalCli(config.temporalCliPath);
    if (!cliPath) {
      throw new TemporalUnavailable(
        'No Temporal CLI found: run `npm start` (it installs the pinned one), set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running cluster.',
      );
    }
    embedded = await startEmbeddedTemporal({
      cliPath,
      dataDir: config.dataDir,
      port: config.temporalPort,
      uiPort: config.temporalUiPort,
      namespace: config.temporalNamespace,
    });
    address = embedded.address;
    log.info(`Embedded Temporal server started; Web UI: ${embedded.uiUrl}`);
  }

  const conns = await openConnections(config, address);
  const { client, db } = conns;
  try {
    const worker = await startMainWorker(conns, config);
    // With Telegram configured, the gateway runs in this process too; without it, the
    // assistant is reachable through `npm run chat`.
    const telegram = config.telegramApiId
      ? await startTelegramGateway({ config, db, client, connection: conns.nativeConnection })
      : undefined;
    log.info(
      telegram
        ? `Jobs is running (Temporal ${address}, namespace ${config.temporalNamespace}) and answering in Telegram.`
        : `Jobs is running (Temporal ${address}, namespace ${config.temporalNamespace}). Telegram is not configured (TELEGRAM_API_ID/HASH); talk to it with: npm run chat`,
    );
    try {
      await Promise.all([worker.run(), telegram?.worker.run()]);
    } finally {
      await telegram?.close();
    }
  } finally {
    await conns.close();
    await embedded?.stop();
  }
}

runEntrypoint(run);
