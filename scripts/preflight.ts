// What `npm start`, `npm run chat` and `npm run setup` check first, before anything slow
// is installed or started: the configuration (one sentence per problem) and, for chat, a
// running assistant to talk to. It runs on Node's own TypeScript type stripping, before
// the npm install: infra/config.ts, env-file.ts and reachability.ts need no package but
// zod, which scripts/node-runtime.sh fetches into .tools/preflight until node_modules has it.
// Usage: node --experimental-strip-types scripts/preflight.ts start|chat|setup
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import type { ConfigNeeds } from '../infra/config.ts';

if (!existsSync(new URL('../node_modules/zod', import.meta.url))) register('./preflight-zod.mjs', import.meta.url);
const { ConfigError, loadConfig } = await import('../infra/config.ts');
const { loadEnvFile } = await import('../infra/env-file.ts');
const { isListening, notRunningMessage, temporalTarget } = await import('../infra/reachability.ts');

const NEEDS: Record<string, ConfigNeeds> = {
  start: { claude: true },
  chat: { claude: false },
  setup: { claude: false, owner: false },
};

const command = process.argv[2] ?? 'start';
const needs = NEEDS[command];
if (!needs) throw new Error(`Unknown command "${command}": start, chat or setup.`);
try {
  loadEnvFile();
  const config = loadConfig(process.env, needs);
  if (command === 'chat') {
    const { host, port } = temporalTarget(config);
    if (!(await isListening(host, port))) {
      process.stderr.write(`${notRunningMessage(config)}\n`);
      process.exit(1);
    }
  }
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
