// The one MTProto connection, over the owner's saved login.
import { Logger, TelegramClient } from 'telegram';
import { LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import type { Config } from '../../infra/config.ts';
import { UserFacingError } from '../../infra/errors.ts';

export class TelegramLoginNeeded extends UserFacingError {}

// Telegram's answers when a saved login no longer works.
const REVOKED = ['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'SESSION_EXPIRED', 'USER_DEACTIVATED', 'AUTH_KEY_INVALID'];

export function isRevokedLogin(err: unknown): boolean {
  const message = (err as { errorMessage?: string }).errorMessage ?? String(err);
  return REVOKED.some((code) => message.includes(code));
}

export function createTelegramClient(config: Pick<Config, 'telegramApiId' | 'telegramApiHash'>, session: string) {
  if (!config.telegramApiId || !config.telegramApiHash) {
    throw new TelegramLoginNeeded(
      'Telegram is not configured: set TELEGRAM_API_ID and TELEGRAM_API_HASH (from my.telegram.org).',
    );
  }
  const client = new TelegramClient(new StringSession(session), config.telegramApiId, config.telegramApiHash, {
    connectionRetries: 10,
    autoReconnect: true,
    // Flood waits are handled by the transport, which keeps the same random_id and tells Temporal.
    floodSleepThreshold: 0,
    baseLogger: new Logger(LogLevel.ERROR),
  });
  return client;
}

/** Connects and checks the login is still valid; a revoked one gets a clear instruction. */
export async function connectTelegram(client: TelegramClient): Promise<{ id: number; name: string }> {
  try {
    await client.connect();
    const me = await client.getMe();
    return {
      id: Number(me.id.toString()),
      name: [me.firstName, me.lastName].filter(Boolean).join(' ') || me.username || 'you',
    };
  } catch (err) {
    if (isRevokedLogin(err)) {
      throw new TelegramLoginNeeded(
        'Your Telegram login was revoked or has expired (for example, the session was ended from another device). Run `npm run setup` to log in again.',
      );
    }
    throw err;
  }
}
