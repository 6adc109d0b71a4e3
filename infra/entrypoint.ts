// Shared start-up of every command: `.env`, validated config, redacting logs, and
// one clear sentence (no stack trace) for the problems a user can fix.
import { join } from 'node:path';
import dotenv from 'dotenv';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogLevel as TemporalLogLevel } from '@temporalio/worker';
import { loadConfig, secretValues } from './config.ts';
import type { Config, ConfigNeeds } from './config.ts';
import { UserFacingError } from './errors.ts';
import { configureLogging, log } from './logger.ts';
import { REPO_ROOT } from './paths.ts';

const TEMPORAL_LEVELS: Record<Config['logLevel'], TemporalLogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

export function startup(needs: ConfigNeeds): Config {
  dotenv.config({ path: join(REPO_ROOT, '.env'), quiet: true });
  const config = loadConfig(process.env, needs);
  configureLogging(config.logLevel, secretValues(config));
  // Temporal's own logs (worker, workflow `log`) go through the same redacting logger.
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVELS[config.logLevel], (entry) => {
      const level = entry.level === 'TRACE' ? 'debug' : (entry.level.toLowerCase() as Config['logLevel']);
      log[level](entry.message, entry.meta);
    }),
  });
  return config;
}

export function runEntrypoint(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      if (err instanceof UserFacingError) {
        process.stderr.write(`${err.message}\n`);
      } else {
        log.error('Stopped by an unexpected error', {
          error: err instanceof Error ? (err.stack ?? err.message) : String(err),
        });
      }
      process.exit(1);
    },
  );
}
