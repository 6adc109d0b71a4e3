// Where the Telegram login lives: TELEGRAM_SESSION, or DATA_DIR/telegram.session
// readable by its owner only. It is as sensitive as a password.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Config } from '../../infra/config.ts';

export function sessionFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'telegram.session');
}

/** The companion bot's own login (own-account mode with OWNER_BOT_TOKEN), beside the account's. */
export function botSessionFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'telegram-bot.session');
}

export async function loadBotSession(dataDir: string): Promise<string> {
  try {
    return (await readFile(botSessionFilePath(dataDir), 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

export async function loadTelegramSession(
  config: Pick<Config, 'telegramSession' | 'dataDir'>,
): Promise<string | undefined> {
  if (config.telegramSession) return config.telegramSession;
  try {
    return (await readFile(sessionFilePath(config.dataDir), 'utf8')).trim() || undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function saveTelegramSession(
  dataDir: string,
  session: string,
  path = sessionFilePath(dataDir),
): Promise<string> {
  await mkdir(resolve(dataDir), { recursive: true });
  await writeFile(path, session, { mode: 0o600 });
  await chmod(path, 0o600); // an existing file keeps its old mode otherwise
  return path;
}
