// Configuration from the environment (and `.env`), validated once at start.
// Every variable is declared here and documented in `.env.example` (a test keeps the
// two in step). Problems are collected and reported together, one sentence each.
import { DEFAULT_DATABASE_URL } from './defaults.ts';
import { UserFacingError } from './errors.ts';
import { isTimeZone } from './time-zones.ts';

export interface Config {
  ownerTelegramId: number;
  ownerTimeZone: string;
  anthropicApiKey: string;
  anthropicBaseUrl: string | undefined;
  claudeModel: string;
  claudeMaxTokens: number;
  databaseUrl: string;
  temporalAddress: string | undefined;
  temporalNamespace: string;
  temporalPort: number;
  temporalUiPort: number;
  temporalCliPath: string | undefined;
  taskQueue: string;
  telegramTaskQueue: string;
  dataDir: string;
  logLevel: LogLevel;
  maxMessageChars: number;
  sessionTurnsPerRun: number;
  sessionHistoryMessages: number;
  /** Telegram app credentials from my.telegram.org; unset means no Telegram gateway (simulator only). */
  telegramApiId: number | undefined;
  telegramApiHash: string | undefined;
  /** A saved login (StringSession); by default it is kept in DATA_DIR/telegram.session. */
  telegramSession: string | undefined;
  /** When not empty, only these people (and the owner) are answered. */
  telegramAllowUserIds: number[];
  telegramDenyUserIds: number[];
  /** Minimum gap between two messages to the same chat. */
  telegramSendIntervalMs: number;
  maxFileMb: number;
  whisperBaseUrl: string;
  whisperApiKey: string | undefined;
  whisperModel: string;
  whisperLanguage: string | undefined;
  negotiationNudgeHours: number;
  negotiationMaxNudges: number;
  negotiationDeadlineHours: number;
  /** Workflows kept in the worker's memory between tasks (more: less replay; fewer: less memory). */
  workerMaxCachedWorkflows: number;
  /** Limit for one request to an MCP server (connect, list tools, call). */
  mcpToolTimeoutMs: number;
  /** Minutes between heartbeat checks; 0 turns the heartbeat off. */
  heartbeatIntervalMinutes: number;
  /** Owner-local hours with no heartbeat messages, [start, end); equal means none. */
  heartbeatQuietHours: { start: number; end: number };
  heartbeatStallHours: number;
  /** A reminder delivered later than this (the assistant was down) says so. */
  reminderLateAfterSeconds: number;
  /** Qdrant for the memory index; unset means the embedded index in PostgreSQL. */
  qdrantUrl: string | undefined;
  qdrantApiKey: string | undefined;
  qdrantCollection: string;
  /** An OpenAI-compatible /v1/embeddings endpoint; unset means the local multilingual model (local-embeddings.ts). */
  embeddingsBaseUrl: string | undefined;
  embeddingsApiKey: string | undefined;
  embeddingsModel: string;
  embeddingsDimensions: number | undefined;
  /** Tokens of recalled memories added to each of the owner's turns (0: none). */
  memoryRecallTokens: number;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends UserFacingError {
  constructor(readonly problems: string[]) {
    super(
      `Configuration problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every setting.`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

class Problem {
  constructor(readonly message: string) {}
}

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
  'WHISPER_API_KEY',
  'EMBEDDINGS_API_KEY',
  'QDRANT_API_KEY',
] as const;

export function loadConfig(env: Env = process.env, needs: ConfigNeeds = { claude: true }): Config {
  const problems: string[] = [];
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  // A parser returns the value, or a Problem saying what is wrong with the raw text.
  const check = <T>(name: string, fallback: T, parse: (raw: string) => T | Problem): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const parsed = parse(raw);
    if (parsed instanceof Problem) {
      problems.push(`${name} ${parsed.message}`);
      return fallback;
    }
    return parsed;
  };
  const integer =
    (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
    (raw: string): number | Problem => {
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      return Number.isSafeInteger(n) && n >= min && n <= max
        ? n
        : new Problem(`must be ${what} (a whole number from ${min} to ${max}), got "${raw}".`);
    };

  const ownerRaw = read('OWNER_TELEGRAM_ID');
  let ownerTelegramId = 0;
  if (ownerRaw === undefined) {
    if (needs.owner !== false)
      problems.push('OWNER_TELEGRAM_ID is missing: set it to your own Telegram user id (a positive whole number).');
  } else if (!/^\d{1,16}$/.test(ownerRaw) || !Number.isSafeInteger(Number(ownerRaw)) || Number(ownerRaw) <= 0) {
    problems.push(`OWNER_TELEGRAM_ID must be your Telegram user id (a positive whole number), got "${ownerRaw}".`);
  } else {
    ownerTelegramId = Number(ownerRaw);
  }

  const ownerTimeZone = read('OWNER_TIMEZONE') ?? 'UTC';
  if (!isTimeZone(ownerTimeZone)) {
    problems.push(`OWNER_TIMEZONE must be an IANA time zone such as "Europe/Moscow", got "${ownerTimeZone}".`);
  }

  const anthropicApiKey = read('ANTHROPIC_API_KEY') ?? '';
  if (needs.claude && !anthropicApiKey) {
    problems.push('ANTHROPIC_API_KEY is missing: set it to your Anthropic API key.');
  }
  const anthropicBaseUrl = read('ANTHROPIC_BASE_URL');
  if (anthropicBaseUrl !== undefined && !isHttpUrl(anthropicBaseUrl)) {
    problems.push(`ANTHROPIC_BASE_URL must be an http(s) URL, got "${anthropicBaseUrl}".`);
  }

  const databaseUrl = read('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (!isPostgresUrl(databaseUrl)) {
    // The value may hold a password: say what is wrong without echoing it.
    problems.push('DATABASE_URL must look like postgresql://user:password@host:5432/database.');
  }

  const temporalAddress = read('TEMPORAL_ADDRESS');
  if (temporalAddress !== undefined && !/^[\w.-]+:\d{1,5}$/.test(temporalAddress)) {
    problems.push(`TEMPORAL_ADDRESS must be host:port, such as "temporal:7233", got "${temporalAddress}".`);
  }

  const idList = (raw: string): number[] | Problem => {
    const ids = raw
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return ids.every((x) => /^\d{1,16}$/.test(x))
      ? ids.map(Number)
      : new Problem(`must be a comma-separated list of Telegram user ids, got "${raw}".`);
  };
  const telegramApiId = check<number | undefined>(
    'TELEGRAM_API_ID',
    undefined,
    integer('your app id from my.telegram.org', 1),
  );
  const telegramApiHash = read('TELEGRAM_API_HASH');
  if (telegramApiHash !== undefined && !/^[0-9a-f]{32}$/i.test(telegramApiHash)) {
    problems.push('TELEGRAM_API_HASH must be the 32-character hex api_hash from my.telegram.org.');
  }
  if ((telegramApiId === undefined) !== (telegramApiHash === undefined)) {
    problems.push('TELEGRAM_API_ID and TELEGRAM_API_HASH go together: set both (from my.telegram.org) or neither.');
  }
  const whisperBaseUrl = read('WHISPER_BASE_URL') ?? 'https://api.openai.com/v1';
  if (!isHttpUrl(whisperBaseUrl)) problems.push(`WHISPER_BASE_URL must be an http(s) URL, got "${whisperBaseUrl}".`);

  const quietHours = check('HEARTBEAT_QUIET_HOURS', { start: 22, end: 8 }, (raw) => {
    const m = /^(\d{1,2})\s*-\s*(\d{1,2})$/.exec(raw);
    const [start, end] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
    return start <= 23 && end <= 23
      ? { start, end }
      : new Problem(`must be local hours "start-end" such as "22-8" (hours 0 to 23), got "${raw}".`);
  });

  const qdrantUrl = read('QDRANT_URL');
  if (qdrantUrl !== undefined && !isHttpUrl(qdrantUrl))
    problems.push(`QDRANT_URL must be an http(s) URL, got "${qdrantUrl}".`);
  const embeddingsBaseUrl = read('EMBEDDINGS_BASE_URL');
  if (embeddingsBaseUrl !== undefined && !isHttpUrl(embeddingsBaseUrl)) {
    problems.push(`EMBEDDINGS_BASE_URL must be an http(s) URL, got "${embeddingsBaseUrl}".`);
  }

  const logLevel = check<LogLevel>('LOG_LEVEL', 'info', (raw) =>
    (LOG_LEVELS as readonly string[]).includes(raw)
      ? (raw as LogLevel)
      : new Problem(`must be one of ${LOG_LEVELS.join(', ')}, got "${raw}".`),
  );

  const config: Config = {
    ownerTelegramId,
    ownerTimeZone,
    anthropicApiKey,
    anthropicBaseUrl,
    claudeModel: read('CLAUDE_MODEL') ?? 'claude-sonnet-5-5',
    claudeMaxTokens: check('CLAUDE_MAX_TOKENS', 2048, integer('the reply token limit', 64, 64000)),
    databaseUrl,
    temporalAddress,
    temporalNamespace: read('TEMPORAL_NAMESPACE') ?? 'default',
    temporalPort: check('TEMPORAL_PORT', 7233, integer('a TCP port', 1, 65535)),
    temporalUiPort: check('TEMPORAL_UI_PORT', 8233, integer('a TCP port', 1, 65535)),
    temporalCliPath: read('TEMPORAL_CLI_PATH'),
    taskQueue: read('TASK_QUEUE') ?? 'jobs',
    telegramTaskQueue: read('TELEGRAM_TASK_QUEUE') ?? 'telegram',
    dataDir: read('DATA_DIR') ?? './data',
    logLevel,
    maxMessageChars: check('MAX_MESSAGE_CHARS', 16000, integer('a character count', 100, 200000)),
    sessionTurnsPerRun: check('SESSION_TURNS_PER_RUN', 100, integer('a turn count', 1, 10000)),
    sessionHistoryMessages: check('SESSION_HISTORY_MESSAGES', 40, integer('a message count', 2, 1000)),
    telegramApiId,
    telegramApiHash,
    telegramSession: read('TELEGRAM_SESSION'),
    telegramAllowUserIds: check('TELEGRAM_ALLOW_USER_IDS', [], idList),
    telegramDenyUserIds: check('TELEGRAM_DENY_USER_IDS', [], idList),
    telegramSendIntervalMs: check('TELEGRAM_SEND_INTERVAL_MS', 1000, integer('milliseconds', 0, 60000)),
    maxFileMb: check('MAX_FILE_MB', 20, integer('megabytes', 1, 2000)),
    whisperBaseUrl,
    whisperApiKey: read('WHISPER_API_KEY'),
    whisperModel: read('WHISPER_MODEL') ?? 'whisper-1',
    whisperLanguage: read('WHISPER_LANGUAGE'),
    negotiationNudgeHours: check('NEGOTIATION_NUDGE_HOURS', 24, integer('hours', 1, 24 * 30)),
    negotiationMaxNudges: check('NEGOTIATION_MAX_NUDGES', 2, integer('a count', 0, 10)),
    negotiationDeadlineHours: check('NEGOTIATION_DEADLINE_HOURS', 72, integer('hours', 1, 24 * 90)),
    mcpToolTimeoutMs: check('MCP_TOOL_TIMEOUT_MS', 30000, integer('milliseconds', 100, 600000)),
    heartbeatIntervalMinutes: check('HEARTBEAT_INTERVAL_MINUTES', 30, integer('minutes (0 turns it off)', 0, 24 * 60)),
    heartbeatQuietHours: quietHours,
    reminderLateAfterSeconds: check('REMINDER_LATE_AFTER_SECONDS', 300, integer('seconds', 1, 24 * 3600)),
    qdrantUrl,
    qdrantApiKey: read('QDRANT_API_KEY'),
    qdrantCollection: read('QDRANT_COLLECTION') ?? 'jobs_memory',
    embeddingsBaseUrl,
    embeddingsApiKey: read('EMBEDDINGS_API_KEY'),
    embeddingsModel: read('EMBEDDINGS_MODEL') ?? 'text-embedding-3-small',
    embeddingsDimensions: check<number | undefined>(
      'EMBEDDINGS_DIMENSIONS',
      undefined,
      integer('a vector size', 8, 8192),
    ),
    memoryRecallTokens: check('MEMORY_RECALL_TOKENS', 400, integer('tokens', 0, 8000)),
    heartbeatStallHours: check('HEARTBEAT_STALL_HOURS', 12, integer('hours', 1, 24 * 30)),
    workerMaxCachedWorkflows: check('WORKER_MAX_CACHED_WORKFLOWS', 250, integer('a workflow count', 0, 100000)),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
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
  ].filter((s): s is string => s !== undefined);
  try {
    const password = new URL(config.databaseUrl).password;
    if (password) secrets.push(decodeURIComponent(password), password);
  } catch {
    // An unparsable URL was already reported by loadConfig.
  }
  return secrets.filter((s) => s.length >= 4);
}
