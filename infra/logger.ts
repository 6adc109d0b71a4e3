// One small logger for every process. Secrets registered at start (API keys, database
// passwords) are replaced in every line before it is written, whatever logged it.
import type { LogLevel } from './config.ts';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const secrets = new Set<string>();
let threshold: LogLevel = 'info';

export function configureLogging(level: LogLevel, secretValues: string[]): void {
  threshold = level;
  for (const s of secretValues) if (s) secrets.add(s);
}

/** Values discovered at run time (an MCP server's env or headers) that must never be logged. */
export function registerSecrets(values: string[]): void {
  for (const value of values) if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('[redacted]');
  return out;
}

export type LogFields = Record<string, unknown>;

function write(level: LogLevel, message: string, fields?: LogFields): void {
  if (ORDER[level] < ORDER[threshold]) return;
  const extra = fields && Object.keys(fields).length > 0 ? ' ' + safeJson(fields) : '';
  process.stderr.write(
    redact(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extra}`) + '\n',
  );
}

function safeJson(fields: LogFields): string {
  return JSON.stringify(fields, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message };
    return value;
  });
}

export const log = {
  debug: (message: string, fields?: LogFields) => write('debug', message, fields),
  info: (message: string, fields?: LogFields) => write('info', message, fields),
  warn: (message: string, fields?: LogFields) => write('warn', message, fields),
  error: (message: string, fields?: LogFields) => write('error', message, fields),
};
