// The saved Telegram login: private to its owner on disk, overridable from the
// environment, and a revoked one recognised for what it is.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errors } from 'telegram';
import { describe, expect, it } from 'vitest';
import { isRevokedLogin } from '../gateway/telegram/client.ts';
import { loadTelegramSession, saveTelegramSession, sessionFilePath } from '../gateway/telegram/session-store.ts';

describe('Telegram login storage', () => {
  it('keeps the login in DATA_DIR/telegram.session readable by its owner only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobs-login-'));
    expect(await loadTelegramSession({ dataDir, telegramSession: undefined })).toBeUndefined();
    // A file left with loose permissions is tightened when the login is saved over it.
    writeFileSync(sessionFilePath(dataDir), 'old', { mode: 0o644 });
    const path = await saveTelegramSession(dataDir, '1AgAOMTQ5LjE1NC4xNjcuNTEBu-session');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await loadTelegramSession({ dataDir, telegramSession: undefined })).toBe(
      '1AgAOMTQ5LjE1NC4xNjcuNTEBu-session',
    );
    expect(await loadTelegramSession({ dataDir, telegramSession: 'from-env' })).toBe('from-env');
  });

  it('recognises the answers Telegram gives for a revoked or expired login', () => {
    expect(isRevokedLogin(new errors.RPCError('AUTH_KEY_UNREGISTERED', undefined as never, 401))).toBe(true);
    expect(isRevokedLogin(new errors.RPCError('SESSION_REVOKED', undefined as never, 401))).toBe(true);
    expect(isRevokedLogin(new errors.RPCError('FLOOD_WAIT_5', undefined as never, 420))).toBe(false);
    expect(isRevokedLogin(new Error('socket hang up'))).toBe(false);
  });
});
