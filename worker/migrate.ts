// `npm run db:migrate` (docker-compose's one-shot `migrate` service): creates Jobs' database
// if it is missing and applies pending migrations, then exits. Nothing to do is quick.
import { prepareDatabase } from '../infra/database-setup.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { log } from '../infra/logger.ts';

runEntrypoint(async () => {
  const config = startup({ claude: false, owner: false });
  await prepareDatabase(config.databaseUrl);
  log.info('Database ready');
});
