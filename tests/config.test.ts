// Configuration: every bad or missing value gets its own clear sentence, secrets are
// never echoed or logged, and `.env.example` documents exactly what the code reads.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../infra/config.ts';
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
      'TEMPORAL_ADDRESS must be host:port, such as "temporal:7233", got "http://x".',
      'LOG_LEVEL must be one of debug, info, warn, error, got "loud".',
      'CLAUDE_MAX_TOKENS must be the reply token limit (a whole number from 64 to 64000), got "lots".',
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
      'HEARTBEAT_QUIET_HOURS must be local hours "start-end" such as "22-8" (hours 0 to 23), got "10pm-8am".',
      'HEARTBEAT_INTERVAL_MINUTES must be minutes (0 turns it off) (a whole number from 0 to 1440), got "-5".',
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

  it('does not require a Claude key where none is needed (the chat simulator)', () => {
    expect(() => loadConfig({ OWNER_TELEGRAM_ID: '42' }, { claude: false })).not.toThrow();
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
    const source = readFileSync(join(REPO_ROOT, 'infra', 'config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/(?:read|check(?:<[^>]+>)?)\(\s*'([A-Z_]+)'/g)].map((m) => m[1]));
    const documented = new Set(
      [...readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]),
    );
    expect(read.size).toBeGreaterThan(15);
    expect([...read].sort()).toEqual([...documented].sort());
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
