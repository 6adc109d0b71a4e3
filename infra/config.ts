// Configuration from the environment (and `.env`), validated once at start by one zod
// schema. Every variable is declared here and documented in `.env.example` (a test keeps
// the two in step). Problems are collected and reported together, one sentence each.
// This module and its imports use only erasable TypeScript, and zod as their only package:
// scripts/preflight.ts runs it on Node's own type stripping before the npm install.
import { z } from 'zod';
import { DEFAULT_DATABASE_URL } from './defaults.ts';
import { UserFacingError } from './errors.ts';
import { isTimeZone } from '../pure/time-zones.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whose Telegram account the gateway is logged in to: the owner's own, or a separate assistant account. */
export const TELEGRAM_ACCOUNTS = ['owner', 'assistant'] as const;
export type TelegramAccount = (typeof TELEGRAM_ACCOUNTS)[number];

export class ConfigError extends UserFacingError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Configuration problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`,
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

/** Which parts of the configuration an entry point needs; the others get defaults or stay unset. */
export interface ConfigNeeds {
  /** The worker calls Claude and must have a key; the chat simulator does not. */
  claude?: boolean;
  /** `npm run setup` discovers the owner's id by logging in, so it cannot require it. */
  owner?: boolean;
}

/** Names of variables whose values are secrets: never logged, never echoed. */
export const SECRET_VARIABLES = [
  'ANTHROPIC_API_KEY',
  'DATABASE_URL',
  'TELEGRAM_API_HASH',
  'TELEGRAM_SESSION',
  'OWNER_BOT_TOKEN',
  'WHISPER_API_KEY',
  'EMBEDDINGS_API_KEY',
  'QDRANT_API_KEY',
  'TEMPORAL_PAYLOAD_KEY',
  'TEMPORAL_PAYLOAD_OLD_KEYS',
  'CODEC_SERVER_TOKEN',
  'CALDAV_PASSWORD',
] as const;

// --- What a variable may hold ---------------------------------------------------------
// Each problem is a sentence that follows the variable's name ("X must be …, got "…".").

/** A variable's text, trimmed; empty is the same as unset. */
const raw = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

const text = (fallback: string) => raw.transform((value) => value ?? fallback);

/**
 * The default when unset (or the problem `missing` names); otherwise `parse`'s value, or
 * the problem `wrong` names and the default.
 */
function parsed<T>(
  fallback: T,
  parse: (value: string) => T | undefined,
  wrong: (value: string) => string,
  missing?: string,
) {
  return raw.transform((value, ctx): T => {
    const result = value === undefined ? undefined : parse(value);
    if (result !== undefined) return result;
    const problem = value === undefined ? missing : wrong(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: true });
    return fallback;
  });
}

const integer = <F extends number | undefined>(what: string, min: number, max: number, fallback: F) =>
  parsed<number | F>(
    fallback,
    (value) => {
      const n = /^\d+$/.test(value) ? Number(value) : NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
    },
    (value) => `must be ${what} (a whole number from ${min} to ${max}), got "${value}".`,
  );

const httpUrl = <F extends string | undefined>(fallback: F) =>
  parsed<string | F>(
    fallback,
    (value) => (isHttpUrl(value) ? value : undefined),
    (value) => `must be an http(s) URL, got "${value}".`,
  );

const idList = parsed<number[]>(
  [],
  (value) => {
    const ids = value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return ids.every((x) => /^\d{1,16}$/.test(x)) ? ids.map(Number) : undefined;
  },
  (value) => `must be a comma-separated list of Telegram user ids, got "${value}".`,
);

const telegramUserId = (value: string) =>
  /^\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value)) && Number(value) > 0 ? Number(value) : undefined;

/** `.env.example`'s owner id: copied but not filled in. */
const EXAMPLE_OWNER_TELEGRAM_ID = '123456789';

/** A value that is obviously a placeholder: "sk-ant-...", "<your key>", "your-api-key", "changeme". */
export function isPlaceholder(value: string): boolean {
  return /\.\.\.|…|^<.*>$|^your[\s_-]|^change-?me$|^x{4,}$/i.test(value);
}

// --- The variables ----------------------------------------------------------------------
// In the order of `.env.example`, which says what each one is for.

function variables(needs: ConfigNeeds) {
  return {
    OWNER_TELEGRAM_ID: parsed(
      0,
      // `npm run setup` (needs.owner false) finds the real id: the example counts as unset there.
      (value) =>
        value === EXAMPLE_OWNER_TELEGRAM_ID ? (needs.owner === false ? 0 : undefined) : telegramUserId(value),
      (value) =>
        value === EXAMPLE_OWNER_TELEGRAM_ID
          ? `is still the example value from .env.example (${value}): set your own Telegram user id (\`npm run setup\` finds it), or any other number if you only use \`npm run chat\`.`
          : `must be your Telegram user id (a positive whole number), got "${value}".`,
      needs.owner === false
        ? undefined
        : 'is missing: set it to your own Telegram user id (a positive whole number; any number will do if you only use `npm run chat`).',
    ),
    OWNER_TIMEZONE: parsed(
      'UTC',
      (value) => (isTimeZone(value) ? value : undefined),
      (value) => `must be an IANA time zone such as "Europe/Moscow", got "${value}".`,
    ),
    ANTHROPIC_API_KEY: parsed(
      '',
      (value) => (needs.claude && isPlaceholder(value) ? undefined : value),
      // Not echoed: it could be a real key.
      () =>
        'is still a placeholder (like the "sk-ant-..." of .env.example): set it to your Anthropic API key (console.anthropic.com).',
      needs.claude ? 'is missing: set it to your Anthropic API key.' : undefined,
    ),
    ANTHROPIC_BASE_URL: httpUrl(undefined),
    CLAUDE_MODEL: text('claude-sonnet-5-5'),
    CLAUDE_MAX_TOKENS: integer('the reply token limit', 64, 64000, 2048),
    // Empty: the summary of older turns is written by CLAUDE_MODEL.
    CLAUDE_SUMMARY_MODEL: text(''),
    CLAUDE_PRICE_PER_MTOK: parsed(
      { inputPerMtok: 3, outputPerMtok: 15 },
      (value) => {
        const m = /^(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)$/.exec(value);
        return m ? { inputPerMtok: Number(m[1]), outputPerMtok: Number(m[2]) } : undefined;
      },
      (value) => `must be "input,output" in USD per million tokens, such as "3,15", got "${value}".`,
    ),
    DATABASE_URL: parsed(
      DEFAULT_DATABASE_URL,
      (value) => (isPostgresUrl(value) ? value : undefined),
      // The value may hold a password: say what is wrong without echoing it.
      () => 'must look like postgresql://user:password@host:5432/database.',
    ),
    TEMPORAL_ADDRESS: parsed<string | undefined>(
      undefined,
      (value) => (/^[\w.-]+:\d{1,5}$/.test(value) ? value : undefined),
      (value) => `must be host:port, such as "temporal:7233", got "${value}".`,
    ),
    TEMPORAL_NAMESPACE: text('default'),
    TEMPORAL_PORT: integer('a TCP port', 1, 65535, 7233),
    TEMPORAL_UI_PORT: integer('a TCP port', 1, 65535, 8233),
    TEMPORAL_CLI_PATH: raw,
    TEMPORAL_PAYLOAD_KEY: parsed<string | undefined>(
      undefined,
      (value) => (isPayloadKey(value) ? value : undefined),
      // Not echoed: it is a key.
      () => 'must be 32 random bytes in base64 (make one with `openssl rand -base64 32`).',
    ),
    TEMPORAL_PAYLOAD_OLD_KEYS: parsed<string[]>(
      [],
      (value) => {
        const keys = value
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        return keys.every(isPayloadKey) ? keys : undefined;
      },
      () => 'must be a comma-separated list of former TEMPORAL_PAYLOAD_KEY values (32 bytes in base64 each).',
    ),
    CODEC_SERVER_PORT: integer('a TCP port', 1, 65535, 8234),
    CODEC_SERVER_TOKEN: raw,
    TEMPORAL_RETENTION_HOURS: integer('hours (at least 1, the server minimum)', 1, 24 * 365, 168),
    TASK_QUEUE: text('jobs'),
    TELEGRAM_TASK_QUEUE: text('telegram'),
    TELEGRAM_API_ID: integer('your app id from my.telegram.org', 1, Number.MAX_SAFE_INTEGER, undefined),
    TELEGRAM_API_HASH: parsed<string | undefined>(
      undefined,
      (value) => (/^[0-9a-f]{32}$/i.test(value) ? value : undefined),
      () => 'must be the 32-character hex api_hash from my.telegram.org.',
    ),
    TELEGRAM_SESSION: raw,
    TELEGRAM_ACCOUNT: parsed<TelegramAccount>(
      'owner',
      (value) => TELEGRAM_ACCOUNTS.find((a) => a === value.toLowerCase()),
      (value) =>
        `must be "owner" (the gateway is logged in as you) or "assistant" (a separate account for the assistant), got "${value}".`,
    ),
    OWNER_BOT_TOKEN: parsed<string | undefined>(
      undefined,
      (value) => (/^\d{5,16}:[\w-]{30,}$/.test(value) ? value : undefined),
      // Not echoed: it is a secret.
      () => 'must be the token @BotFather gave your bot (digits, a colon, then about 35 letters and digits).',
    ),
    TELEGRAM_ALLOW_USER_IDS: idList,
    TELEGRAM_DENY_USER_IDS: idList,
    TELEGRAM_SEND_INTERVAL_MS: integer('milliseconds', 0, 60000, 1000),
    MAX_FILE_MB: integer('megabytes', 1, 2000, 20),
    WHISPER_BASE_URL: httpUrl('https://api.openai.com/v1'),
    WHISPER_API_KEY: raw,
    WHISPER_MODEL: text('whisper-1'),
    WHISPER_LANGUAGE: raw,
    NEGOTIATION_NUDGE_HOURS: integer('hours', 1, 24 * 30, 24),
    NEGOTIATION_MAX_NUDGES: integer('a count', 0, 10, 2),
    NEGOTIATION_DEADLINE_HOURS: integer('hours', 1, 24 * 90, 72),
    MCP_TOOL_TIMEOUT_MS: integer('milliseconds', 100, 600000, 30000),
    // The hard limit of one MCP tool call that keeps reporting progress; below the tool
    // activity's own limit (workflows/agent-turn.ts, 1 hour) so the activity is never cut first.
    MCP_TOOL_MAX_MS: integer('milliseconds', 1000, 50 * 60000, 15 * 60000),
    HEARTBEAT_INTERVAL_MINUTES: integer('minutes (0 turns it off)', 0, 24 * 60, 30),
    HEARTBEAT_QUIET_HOURS: parsed(
      { start: 22, end: 8 },
      (value) => {
        const m = /^(\d{1,2})\s*-\s*(\d{1,2})$/.exec(value);
        const [start, end] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
        return start <= 23 && end <= 23 ? { start, end } : undefined;
      },
      (value) => `must be local hours "start-end" such as "22-8" (hours 0 to 23), got "${value}".`,
    ),
    HEARTBEAT_STALL_HOURS: integer('hours', 1, 24 * 30, 12),
    QDRANT_URL: httpUrl(undefined),
    QDRANT_API_KEY: raw,
    QDRANT_COLLECTION: text('jobs_memory'),
    EMBEDDINGS_BASE_URL: httpUrl(undefined),
    EMBEDDINGS_API_KEY: raw,
    EMBEDDINGS_MODEL: text('text-embedding-3-small'),
    EMBEDDINGS_DIMENSIONS: integer('a vector size', 8, 8192, undefined),
    MEMORY_RECALL_TOKENS: integer('tokens', 0, 8000, 400),
    CALDAV_URL: httpUrl(undefined),
    CALDAV_USERNAME: raw,
    CALDAV_PASSWORD: raw,
    CALDAV_CALENDAR: raw,
    OWNER_WORKING_HOURS: parsed(
      { start: 10, end: 19 },
      (value) => {
        const m = /^(\d{1,2})\s*-\s*(\d{1,2})$/.exec(value);
        const [start, end] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
        return start < end && end <= 24 ? { start, end } : undefined;
      },
      (value) => `must be local hours "start-end" such as "10-19" (start before end, up to 24), got "${value}".`,
    ),
    MEETING_BUFFER_MINUTES: integer('minutes', 0, 240, 15),
    REMINDER_LATE_AFTER_SECONDS: integer('seconds', 1, 24 * 3600, 300),
    DATA_DIR: text('./data'),
    LOG_LEVEL: parsed<LogLevel>(
      'info',
      (value) => LOG_LEVELS.find((level) => level === value),
      (value) => `must be one of ${LOG_LEVELS.join(', ')}, got "${value}".`,
    ),
    MAX_MESSAGE_CHARS: integer('a character count', 100, 200000, 16000),
    SESSION_TURNS_PER_RUN: integer('a turn count', 1, 10000, 100),
    SESSION_HISTORY_MESSAGES: integer('a message count', 2, 1000, 40),
    SESSION_HISTORY_TOKENS: integer('a token count', 1000, 500000, 8000),
    WORKER_MAX_CACHED_WORKFLOWS: integer('a workflow count', 0, 100000, 250),
  };
}

/** Every variable the configuration reads. */
export const CONFIG_VARIABLES = Object.keys(variables({}));

/** The whole configuration: the variables, the rules between them, and the shape the code uses. */
export function configSchema(needs: ConfigNeeds = { claude: true }) {
  return z
    .object(variables(needs))
    .superRefine((env, ctx) => {
      if (env.CALDAV_URL !== undefined && (env.CALDAV_USERNAME === undefined || env.CALDAV_PASSWORD === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['CALDAV_URL'],
          message: 'needs CALDAV_USERNAME and CALDAV_PASSWORD (an app password) beside it.',
        });
      }
      if ((env.TELEGRAM_API_ID === undefined) !== (env.TELEGRAM_API_HASH === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: ['TELEGRAM_API_ID'],
          message: 'and TELEGRAM_API_HASH go together: set both (from my.telegram.org) or neither.',
        });
      }
    })
    .transform((env) => ({
      ownerTelegramId: env.OWNER_TELEGRAM_ID,
      ownerTimeZone: env.OWNER_TIMEZONE,
      anthropicApiKey: env.ANTHROPIC_API_KEY,
      anthropicBaseUrl: env.ANTHROPIC_BASE_URL,
      claudeModel: env.CLAUDE_MODEL,
      claudeMaxTokens: env.CLAUDE_MAX_TOKENS,
      claudeSummaryModel: env.CLAUDE_SUMMARY_MODEL || env.CLAUDE_MODEL,
      /** For the estimated cost per session operators see (Temporal UI, status query). */
      claudePricePerMtok: env.CLAUDE_PRICE_PER_MTOK,
      databaseUrl: env.DATABASE_URL,
      temporalAddress: env.TEMPORAL_ADDRESS,
      temporalNamespace: env.TEMPORAL_NAMESPACE,
      temporalPort: env.TEMPORAL_PORT,
      temporalUiPort: env.TEMPORAL_UI_PORT,
      temporalCliPath: env.TEMPORAL_CLI_PATH,
      /** The key that encrypts Temporal payloads; unset: the key file in DATA_DIR (infra/payload-keys.ts). */
      temporalPayloadKey: env.TEMPORAL_PAYLOAD_KEY,
      /** Former payload keys, kept to decode older history. */
      temporalPayloadOldKeys: env.TEMPORAL_PAYLOAD_OLD_KEYS,
      codecServerPort: env.CODEC_SERVER_PORT,
      codecServerToken: env.CODEC_SERVER_TOKEN,
      /** How long the embedded server keeps closed runs before deleting them (bounds its SQLite file). */
      temporalRetentionHours: env.TEMPORAL_RETENTION_HOURS,
      taskQueue: env.TASK_QUEUE,
      telegramTaskQueue: env.TELEGRAM_TASK_QUEUE,
      dataDir: env.DATA_DIR,
      logLevel: env.LOG_LEVEL,
      maxMessageChars: env.MAX_MESSAGE_CHARS,
      sessionTurnsPerRun: env.SESSION_TURNS_PER_RUN,
      sessionHistoryMessages: env.SESSION_HISTORY_MESSAGES,
      sessionHistoryTokens: env.SESSION_HISTORY_TOKENS,
      /** Telegram app credentials from my.telegram.org; unset means no Telegram gateway (simulator only). */
      telegramApiId: env.TELEGRAM_API_ID,
      telegramApiHash: env.TELEGRAM_API_HASH,
      /** A saved login (StringSession); by default it is kept in DATA_DIR/telegram.session. */
      telegramSession: env.TELEGRAM_SESSION,
      /** Whose account the gateway is logged in to (README: "Where you talk to the assistant"). */
      telegramAccount: env.TELEGRAM_ACCOUNT,
      /** The owner's companion bot (own-account mode): the control chat that notifies, with buttons. */
      ownerBotToken: env.OWNER_BOT_TOKEN,
      /** When not empty, only these people (and the owner) are answered. */
      telegramAllowUserIds: env.TELEGRAM_ALLOW_USER_IDS,
      telegramDenyUserIds: env.TELEGRAM_DENY_USER_IDS,
      /** Minimum gap between two messages to the same chat. */
      telegramSendIntervalMs: env.TELEGRAM_SEND_INTERVAL_MS,
      maxFileMb: env.MAX_FILE_MB,
      whisperBaseUrl: env.WHISPER_BASE_URL,
      whisperApiKey: env.WHISPER_API_KEY,
      whisperModel: env.WHISPER_MODEL,
      whisperLanguage: env.WHISPER_LANGUAGE,
      negotiationNudgeHours: env.NEGOTIATION_NUDGE_HOURS,
      negotiationMaxNudges: env.NEGOTIATION_MAX_NUDGES,
      negotiationDeadlineHours: env.NEGOTIATION_DEADLINE_HOURS,
      /** Workflows kept in the worker's memory between tasks (more: less replay; fewer: less memory). */
      workerMaxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS,
      /** Limit for one request to an MCP server (connect, list tools, call). */
      mcpToolTimeoutMs: env.MCP_TOOL_TIMEOUT_MS,
      /** Hard limit of one MCP tool call, however much progress it reports. */
      mcpToolMaxMs: env.MCP_TOOL_MAX_MS,
      /** Minutes between heartbeat checks; 0 turns the heartbeat off. */
      heartbeatIntervalMinutes: env.HEARTBEAT_INTERVAL_MINUTES,
      /** Owner-local hours with no heartbeat messages, [start, end); equal means none. */
      heartbeatQuietHours: env.HEARTBEAT_QUIET_HOURS,
      heartbeatStallHours: env.HEARTBEAT_STALL_HOURS,
      /** A reminder delivered later than this (the assistant was down) says so. */
      reminderLateAfterSeconds: env.REMINDER_LATE_AFTER_SECONDS,
      /** Qdrant for the memory index; unset means the embedded index in PostgreSQL. */
      qdrantUrl: env.QDRANT_URL,
      qdrantApiKey: env.QDRANT_API_KEY,
      qdrantCollection: env.QDRANT_COLLECTION,
      /** An OpenAI-compatible /v1/embeddings endpoint; unset means the local multilingual model (local-embeddings.ts). */
      embeddingsBaseUrl: env.EMBEDDINGS_BASE_URL,
      embeddingsApiKey: env.EMBEDDINGS_API_KEY,
      embeddingsModel: env.EMBEDDINGS_MODEL,
      embeddingsDimensions: env.EMBEDDINGS_DIMENSIONS,
      /** Tokens of recalled memories added to each of the owner's turns (0: none). */
      memoryRecallTokens: env.MEMORY_RECALL_TOKENS,
      /** The owner's CalDAV calendar; unset means windows typed by the owner, as without a calendar. */
      caldav: env.CALDAV_URL
        ? {
            url: env.CALDAV_URL,
            username: env.CALDAV_USERNAME ?? '',
            password: env.CALDAV_PASSWORD ?? '',
            /** The calendar (display name or URL) meetings are booked into; unset: the first one. */
            calendar: env.CALDAV_CALENDAR,
          }
        : undefined,
      /** Owner-local hours offered for meetings, [start, end). */
      ownerWorkingHours: env.OWNER_WORKING_HOURS,
      /** Free minutes kept before and after every busy time. */
      meetingBufferMinutes: env.MEETING_BUFFER_MINUTES,
    }));
}

export type Config = z.output<ReturnType<typeof configSchema>>;

export function loadConfig(env: Env = process.env, needs: ConfigNeeds = { claude: true }): Config {
  const result = configSchema(needs).safeParse(env);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => `${String(i.path[0])} ${i.message}`));
  return result.data;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** 32 bytes in base64, as the AES-256 payload key needs. */
function isPayloadKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value);
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ['postgres:', 'postgresql:'].includes(url.protocol) && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

/** The secret values present in a config, for the log redactor. */
export function secretValues(config: Config): string[] {
  const secrets = [
    config.anthropicApiKey,
    config.telegramApiHash,
    config.telegramSession,
    config.whisperApiKey,
    config.embeddingsApiKey,
    config.qdrantApiKey,
    config.temporalPayloadKey,
    ...config.temporalPayloadOldKeys,
    config.codecServerToken,
    config.caldav?.password,
  ].filter((s): s is string => s !== undefined);
  try {
    const password = new URL(config.databaseUrl).password;
    if (password) secrets.push(decodeURIComponent(password), password);
  } catch {
    // An unparsable URL was already reported by loadConfig.
  }
  return secrets.filter((s) => s.length >= 4);
}
