// `npm start`: the whole assistant in one process. Prepares the database, starts the
// embedded Temporal dev server unless TEMPORAL_ADDRESS names a cluster, and runs the
// worker until Ctrl-C.
//
// Start-up is mostly waiting (the dev server boots, modules load, the database is
// checked), so once the database is known to be reachable those run side by side: the
// dev server in its own process, the worker's modules loaded meanwhile (imported
// dynamically for that reason), migrations only when there are any.
import { ensureDatabase, isMigrated, migrateDatabase } from '../infra/database-setup.ts';
import { describeRuntime, runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log } from '../infra/logger.ts';
import { findTemporalCli, startEmbeddedTemporal, TemporalUnavailable } from '../infra/temporal.ts';
import type { Config } from '../infra/config.ts';
import type { EmbeddedTemporal } from '../infra/temporal.ts';
import { loadTelegramSession } from '../gateway/telegram/session-store.ts';
import { startConfiguredCodecServer } from '../infra/codec-server.ts';
import type { CodecServer } from '../infra/codec-server.ts';

async function run(): Promise<void> {
  const config = startup({ claude: true });
  log.info(describeRuntime());
  if (config.telegramApiId && !(await loadTelegramSession(config))) {
    const { TelegramLoginNeeded } = await import('../gateway/telegram/client.ts');
    throw new TelegramLoginNeeded(
      'No Telegram login yet: run `npm run setup` to log in to your account, then `npm start`.',
    );
  }
  // Fails fast, with one sentence, before anything else is started.
  const created = await ensureDatabase(config.databaseUrl);

  // Beside the embedded Web UI, the codec server that shows it decrypted payloads.
  const codecServer = config.temporalAddress ? undefined : await startCodecServerBesideUi(config);
  const embedded = config.temporalAddress ? undefined : startEmbedded(config, codecServer?.url);
  let temporal: EmbeddedTemporal | undefined;
  try {
    const [, started, { openConnections }, { startMainWorker }, workflowBundle] = await Promise.all([
      migrateIfNeeded(config.databaseUrl, created),
      embedded,
      import('../infra/connections.ts'),
      import('./main-worker.ts'),
      import('./workflow-bundle.ts').then(({ cachedWorkflowBundle }) => cachedWorkflowBundle()),
    ]);
    temporal = started;
    log.info('Database ready');
    const address = temporal?.address ?? config.temporalAddress!;
    if (temporal) log.info(`Embedded Temporal server started; Web UI: ${temporal.uiUrl}`);

    const conns = await openConnections(config, address);
    try {
      const worker = await startMainWorker(conns, config, workflowBundle);
      // With Telegram configured, the gateway runs in this process too; without it, the
      // assistant is reachable through `npm run chat`.
      const telegram = config.telegramApiId
        ? await (
            await import('../gateway/telegram/run-gateway.ts')
          ).startTelegramGateway({ config, db: conns.db, client: conns.client, connection: conns.nativeConnection })
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
    }
  } finally {
    // Stops the dev server even when something else failed while it was starting.
    await (temporal ?? (await embedded?.catch(() => undefined)))?.stop();
    await codecServer?.close();
  }
}

async function startCodecServerBesideUi(config: Config): Promise<CodecServer | undefined> {
  try {
    const server = await startConfiguredCodecServer(config);
    log.info(`Codec server for the Web UI: ${server.url}`);
    return server;
  } catch (err) {
    // Not fatal: the assistant works; the UI shows payloads encrypted until one runs.
    log.warn(
      `The codec server could not start on port ${config.codecServerPort} (${(err as Error).message}); the Web UI will show payloads encrypted. Set CODEC_SERVER_PORT to a free port.`,
    );
    return undefined;
  }
}

async function migrateIfNeeded(databaseUrl: string, created: boolean): Promise<void> {
  if (created || !(await isMigrated(databaseUrl))) await migrateDatabase(databaseUrl);
}

function startEmbedded(config: Config, uiCodecEndpoint: string | undefined): Promise<EmbeddedTemporal> {
  const cliPath = findTemporalCli(config.temporalCliPath);
  if (!cliPath) {
    return Promise.reject(
      new TemporalUnavailable(
        'No Temporal CLI found: run `npm start` (it installs the pinned one), set TEMPORAL_CLI_PATH, or set TEMPORAL_ADDRESS to use a running cluster.',
      ),
    );
  }
  return startEmbeddedTemporal({
    cliPath,
    dataDir: config.dataDir,
    port: config.temporalPort,
    uiPort: config.temporalUiPort,
    namespace: config.temporalNamespace,
    uiCodecEndpoint,
    retentionHours: config.temporalRetentionHours,
  });
}

runEntrypoint(run);
