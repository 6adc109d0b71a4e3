// Shared start-up of every command: `.env`, validated config, redacting logs, and
// one clear sentence (no stack trace) for the problems a user can fix.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LogLevel as TemporalLogLevel } from '@temporalio/worker';
import { loadConfig, secretValues } from './config.ts';
import type { Config, ConfigNeeds } from './config.ts';
import { loadEnvFile } from './env-file.ts';
import { UserFacingError } from './errors.ts';
import { configureLogging, log } from './logger.ts';

const TEMPORAL_LEVELS: Record<Config['logLevel'], TemporalLogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

export function startup(needs: ConfigNeeds): Config {
  loadEnvFile();
  const config = loadConfig(process.env, needs);
  configureLogging(config.logLevel, secretValues(config));
  // Temporal's own logs (worker, workflow `log`, and the native core's, which would
  // otherwise print straight to the console) go through the same redacting logger.
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVELS[config.logLevel], (entry) => {
      let level = entry.level === 'TRACE' ? 'debug' : (entry.level.toLowerCase() as Config['logLevel']);
      // The worker's own life cycle ("Worker state changed", "No Nexus services…") is detail.
      if (level === 'info' && entry.meta?.sdkComponent === 'worker') level = 'debug';
      log[level](entry.message, entry.meta);
    }),
    telemetryOptions: { logging: { forward: {} } },
  });
  return config;
}

/** Which Node.js runs this process, in one line (the setup scripts say where it comes from). */
export function describeRuntime(): string {
  return `Node.js ${process.version} (${process.env.JOBS_NODE_SOURCE ?? process.execPath})`;
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
