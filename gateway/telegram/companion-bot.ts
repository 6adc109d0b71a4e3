// The owner's companion bot (own-account mode with OWNER_BOT_TOKEN): logged in with GramJS
// as a bot (MTProto `auth.importBotAuthorization`, same library as the account), its login
// kept beside the account's so a restart does not log in again.
import type { TelegramClient } from 'telegram';
import type { StringSession } from 'telegram/sessions/index.js';
import type { Config } from '../../infra/config.ts';
import { UserFacingError } from '../../infra/errors.ts';
import { createTelegramClient, isRevokedLogin } from './client.ts';
import { botSessionFilePath, loadBotSession, saveTelegramSession } from './session-store.ts';

export class CompanionBotLoginFailed extends UserFacingError {}

export async function startCompanionBot(
  config: Pick<Config, 'telegramApiId' | 'telegramApiHash' | 'dataDir'> & { ownerBotToken: string },
  /** The GramJS client over a saved login (tests pass an offline one). */
  newClient: (session: string) => TelegramClient = (session) => createTelegramClient(config, session),
): Promise<{ client: TelegramClient; username: string }> {
  const saved = await loadBotSession(config.dataDir);
  let client = newClient(saved);
  try {
    await client.start({ botAuthToken: config.ownerBotToken });
  } catch (err) {
    await client.destroy();
    if (saved && isRevokedLogin(err)) {
      // The saved bot login was revoked (e.g. the token was regenerated): log in afresh.
      client = newClient('');
      await client.start({ botAuthToken: config.ownerBotToken }).catch(async (again: unknown) => {
        await client.destroy();
        throw loginFailed(again);
      });
    } else {
      throw loginFailed(err);
    }
  }
  const session = (client.session as StringSession).save();
  if (session !== saved) await saveTelegramSession(config.dataDir, session, botSessionFilePath(config.dataDir));
  const me = await client.getMe();
  return { client, username: me.username ?? 'your bot' };
}

function loginFailed(err: unknown): CompanionBotLoginFailed {
  const code = (err as { errorMessage?: string }).errorMessage ?? '';
  return new CompanionBotLoginFailed(
    code.includes('ACCESS_TOKEN')
      ? 'Telegram does not accept OWNER_BOT_TOKEN: copy the token again from @BotFather (/mybots → your bot → API Token), or leave it empty to use Saved Messages.'
      : `The companion bot could not log in (${code || 'Telegram did not answer'}): check OWNER_BOT_TOKEN, or leave it empty to use Saved Messages.`,
  );
}
