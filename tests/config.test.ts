// Configuration: every bad or missing value gets its own clear sentence, secrets are
// never echoed or logged, and `.env.example` documents exactly what the code reads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig, secretValues } from '../infra/config.ts';
import { configureLogging, redact } from '../infra/logger.ts';
import { REPO_ROOT } from '../infra/paths.ts';

const GOOD = { OWNER_TELEGRAM_ID: '42', ANTHROPIC_API_KEY: 'sk-ant-secret-value' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe('config', () => {
  it('accepts a minimal valid environment with sensible defaults', () => {
    const config = loadConfig(GOOD);
    expect(config).toMatchObject({
      ownerTelegramId: 42,
      ownerTimeZone: 'UTC',
      temporalAddress: undefined,
      databaseUrl: 'postgresql://postgres@127.0.0.1:5432/jobs',
      taskQueue: 'jobs',
      telegramTaskQueue: 'telegram',
      maxMessageChars: 16000,
    });
  });

  it('names each missing or malformed value in its own sentence', () => {
    const problems = problemsOf({
      OWNER_TELEGRAM_ID: 'me',
      OWNER_TIMEZONE: 'Mars/Olympus',
      CLAUDE_MAX_TOKENS: 'lots',
      TEMPORAL_ADDRESS: 'http://x',
      LOG_LEVEL: 'loud',
      ANTHROPIC_BASE_URL: 'ftp://x',
    });
    expect(problems).toEqual([
      'OWNER_TELEGRAM_ID must be your Telegram user id (a positive whole number), got "me".',
      'OWNER_TIMEZONE must be an IANA time zone such as "Europe/Moscow", got "Mars/Olympus".',
      'ANTHROPIC_API_KEY is missing: set it to your Anthropic API key.',
      'ANTHROPIC_BASE_URL must be an http(s) URL, got "ftp://x".',
      'CLAUDE_MAX_TOKENS must be the reply token limit (a whole number from 64 to 64000), got "lots".',
      'TEMPORAL_ADDRESS must be host:port, such as "temporal:7233", got "http://x".',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud".',
    ]);
    expect(problemsOf({})).toContain(
      'OWNER_TELEGRAM_ID is missing: set it to your own Telegram user id (a positive whole number).',
    );
  });

  it('reads the heartbeat settings, with quiet hours that may wrap past midnight', () => {
    expect(loadConfig({ ...GOOD, HEARTBEAT_QUIET_HOURS: '23-7' })).toMatchObject({
      heartbeatIntervalMinutes: 30,
      heartbeatQuietHours: { start: 23, end: 7 },
      reminderLateAfterSeconds: 300,
    });
    expect(problemsOf({ ...GOOD, HEARTBEAT_QUIET_HOURS: '10pm-8am', HEARTBEAT_INTERVAL_MINUTES: '-5' })).toEqual([
      'HEARTBEAT_INTERVAL_MINUTES must be minutes (0 turns it off) (a whole number from 0 to 1440), got "-5".',
      'HEARTBEAT_QUIET_HOURS must be local hours "start-end" such as "22-8" (hours 0 to 23), got "10pm-8am".',
    ]);
  });

  it('checks the Telegram settings go together and keeps their secrets out of logs', () => {
    expect(problemsOf({ ...GOOD, TELEGRAM_API_ID: '12345' })).toEqual([
      'TELEGRAM_API_ID and TELEGRAM_API_HASH go together: set both (from my.telegram.org) or neither.',
    ]);
    expect(problemsOf({ ...GOOD, TELEGRAM_DENY_USER_IDS: '1, two' })).toEqual([
      'TELEGRAM_DENY_USER_IDS must be a comma-separated list of Telegram user ids, got "1, two".',
    ]);
    const config = loadConfig({
      ...GOOD,
      TELEGRAM_API_ID: '12345',
      TELEGRAM_API_HASH: 'abcdefabcdefabcdefabcdefabcdef12',
      TELEGRAM_SESSION: '1BVtsOK4Bu-session-string',
      WHISPER_API_KEY: 'sk-whisper-value',
      TELEGRAM_ALLOW_USER_IDS: '5, 6',
    });
    expect(config.telegramAllowUserIds).toEqual([5, 6]);
    configureLogging('info', secretValues(config));
    expect(redact('hash abcdefabcdefabcdefabcdefabcdef12 session 1BVtsOK4Bu-session-string key sk-whisper-value')).toBe(
      'hash [redacted] session [redacted] key [redacted]',
    );
  });

  it('does not require a Claude key where none is needed (the chat simulator), nor the owner in setup', () => {
    expect(() => loadConfig({ OWNER_TELEGRAM_ID: '42' }, { claude: false })).not.toThrow();
    expect(loadConfig({}, { claude: false, owner: false }).ownerTelegramId).toBe(0);
    expect(
      problemsOf({ ...GOOD, OWNER_TELEGRAM_ID: '0', EMBEDDINGS_DIMENSIONS: '4', QDRANT_URL: 'qdrant:6333' }),
    ).toEqual([
      'OWNER_TELEGRAM_ID must be your Telegram user id (a positive whole number), got "0".',
      'QDRANT_URL must be an http(s) URL, got "qdrant:6333".',
      'EMBEDDINGS_DIMENSIONS must be a vector size (a whole number from 8 to 8192), got "4".',
    ]);
  });

  it('reads every default and every kind of value the way the code uses it', () => {
    const config = loadConfig({
      ...GOOD,
      TEMPORAL_ADDRESS: ' temporal:7233 ',
      TELEGRAM_ALLOW_USER_IDS: '',
      EMBEDDINGS_DIMENSIONS: '256',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      temporalAddress: 'temporal:7233',
      telegramAllowUserIds: [],
      embeddingsDimensions: 256,
      logLevel: 'debug',
      claudeModel: 'claude-sonnet-5-5',
      claudeMaxTokens: 2048,
      whisperBaseUrl: 'https://api.openai.com/v1',
      heartbeatQuietHours: { start: 22, end: 8 },
      negotiationNudgeHours: 24,
      negotiationMaxNudges: 2,
      negotiationDeadlineHours: 72,
      workerMaxCachedWorkflows: 250,
      qdrantUrl: undefined,
      qdrantCollection: 'jobs_memory',
      embeddingsModel: 'text-embedding-3-small',
      memoryRecallTokens: 400,
      dataDir: './data',
    });
  });

  it('never echoes a database password, and redacts secrets from logs', () => {
    const problems = problemsOf({ ...GOOD, DATABASE_URL: 'mysql://bob:hunter2secret@db/x' });
    expect(problems.join('\n')).not.toContain('hunter2secret');
    expect(problems).toContain('DATABASE_URL must look like postgresql://user:password@host:5432/database.');

    const config = loadConfig({ ...GOOD, DATABASE_URL: 'postgresql://bob:hunter2secret@db:5432/x' });
    configureLogging('info', secretValues(config));
    expect(redact(`key=${config.anthropicApiKey} url=${config.databaseUrl}`)).toBe(
      'key=[redacted] url=postgresql://bob:[redacted]@db:5432/x',
    );
  });

  it('documents in .env.example exactly the variables the code reads', () => {
    const documented = [...readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map(
      (m) => m[1],
    );
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(15);
    // In the same order, too: the schema reads like the file that documents it.
    expect(CONFIG_VARIABLES).toEqual(documented);
  });

  it('stops the run command with one clear sentence, no stack trace, for bad config and an unreachable database', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'worker', 'run-assistant.ts')], {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATA_DIR: join(REPO_ROOT, 'tests', '.tmp', 'no-data'),
          ...env,
        },
        encoding: 'utf8',
        timeout: 60000,
      });

    const badConfig = run({ OWNER_TELEGRAM_ID: 'abc', ANTHROPIC_API_KEY: 'sk-ant-should-not-leak' });
    expect(badConfig.status).toBe(1);
    expect(badConfig.stderr).toContain('OWNER_TELEGRAM_ID must be your Telegram user id');
    expect(badConfig.stderr).not.toMatch(/\n\s+at /);
    expect(badConfig.stderr + badConfig.stdout).not.toContain('sk-ant-should-not-leak');

    const noLogin = run({ ...GOOD, TELEGRAM_API_ID: '12345', TELEGRAM_API_HASH: '0123456789abcdef0123456789abcdef' });
    expect(noLogin.status).toBe(1);
    expect(noLogin.stderr.trim()).toBe(
      'No Telegram login yet: run `npm run setup` to log in to your account, then `npm start`.',
    );

    const noDatabase = run({ ...GOOD, DATABASE_URL: 'postgresql://postgres:pw-should-not-leak@127.0.0.1:1/jobs' });
    expect(noDatabase.status).toBe(1);
    expect(noDatabase.stderr.trim()).toBe(
      'PostgreSQL is not reachable at 127.0.0.1:1: start it (on Debian: pg_ctlcluster <version> main start) or point DATABASE_URL at a running server.',
    );
  });
});
