// `npm run codec-server`: the codec server alone, for an operator who holds the payload
// key and reads history in a Temporal Web UI or CLI elsewhere (`npm start` runs one
// itself beside the embedded UI). Point the UI at it with `--ui-codec-endpoint`, or in
// the UI's Data Encoder settings; the CLI with `--codec-endpoint`.
import { startConfiguredCodecServer } from '../infra/codec-server.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log } from '../infra/logger.ts';

runEntrypoint(async () => {
  const config = startup({ claude: false, owner: false });
  const server = await startConfiguredCodecServer(config);
  log.info(
    `Codec server on ${server.url}${config.codecServerToken ? ' (bearer token required)' : ''}: ` +
      `temporal server start-dev --ui-codec-endpoint ${server.url}, or temporal workflow show --codec-endpoint ${server.url} ...`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
});
