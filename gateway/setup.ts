// `npm run setup`: choose where the assistant lives in Telegram (your own account, or a
// separate account for it), log that account in once (phone, code, 2FA password), keep
// the login in DATA_DIR/telegram.session (mode 0600), offer the companion bot for
// own-account mode, record the choices in .env, and say where to write first.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { Api } from 'telegram';
import type { TelegramClient } from 'telegram';
import type { TelegramAccount } from '../infra/config.ts';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { withSetting } from '../pure/env-settings.ts';
import { parseTelegramHandle } from '../pure/telegram-handles.ts';
import { createTelegramClient, TelegramLoginNeeded } from './telegram/client.ts';
import { startCompanionBot } from './telegram/companion-bot.ts';
import { saveTelegramSession } from './telegram/session-store.ts';

/** Asks a question on the terminal; `hidden` input (passwords, tokens) is not echoed. */
async function ask(question: string, hidden = false): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const answer = rl.question(question);
  muted = hidden;
  try {
    return (await answer).trim();
  } finally {
    if (hidden) process.stdout.write('\n');
    rl.close();
  }
}

const say = (text: string) => process.stdout.write(`${text}\n`);

/** Writes settings into .env (readable by you only), keeping everything else in it. */
async function saveSettings(settings: Record<string, string>): Promise<void> {
  const envPath = join(REPO_ROOT, '.env');
  let text = await readFile(envPath, 'utf8').catch(() => '');
  for (const [name, value] of Object.entries(settings)) text = withSetting(text, name, value);
  await writeFile(envPath, text, { mode: 0o600 });
  await chmod(envPath, 0o600); // it may hold the bot token; an existing file keeps its old mode otherwise
  say(`Saved to .env: ${Object.keys(settings).join(', ')}.`);
}

async function chooseAccount(current: TelegramAccount): Promise<TelegramAccount> {
  say(`Which Telegram account will the assistant use?
  1) Your own account. Your contacts write to you as usual and the assistant answers for you;
     you talk to the assistant in a bot of your own (recommended) or in your Saved Messages.
  2) A separate Telegram account for the assistant. You and your contacts write to it like to a person.`);
  for (;;) {
    const answer = await ask(`Choose 1 or 2 [${current === 'owner' ? 1 : 2}]: `);
    if (answer === '') return current;
    if (answer === '1') return 'owner';
    if (answer === '2') return 'assistant';
    say('Please type 1 or 2.');
  }
}

/** The companion bot's token, checked by logging the bot in; empty for Saved Messages. */
async function askBotToken(
  config: Omit<Parameters<typeof startCompanionBot>[0], 'ownerBotToken'>,
): Promise<{ token: string; username: string } | undefined> {
  say(`
A companion bot is the best place to talk to the assistant: its messages ring your phone, and
decisions come with buttons. Create one in a minute: open @BotFather in Telegram, send /newbot,
pick a name, and copy the token it gives you. Without a bot you talk to the assistant in your
Saved Messages instead.`);
  for (;;) {
    const token = await ask('Bot token (press Enter to use Saved Messages): ', true);
    if (!token) return undefined;
    try {
      const bot = await startCompanionBot({ ...config, ownerBotToken: token });
      await bot.client.destroy();
      return { token, username: bot.username };
    } catch (err) {
      say(err instanceof Error ? err.message : String(err));
    }
  }
}

/** The owner's own Telegram id, for assistant-account mode: looked up from their @username. */
async function askOwnerId(client: TelegramClient, assistantId: number): Promise<number> {
  for (;;) {
    const answer = await ask('Your own Telegram @username (or your numeric user id), so the assistant knows you: ');
    if (/^\d{1,16}$/.test(answer)) return Number(answer);
    const handle = parseTelegramHandle(answer.startsWith('@') ? answer : `@${answer}`);
    if (handle?.kind !== 'username') {
      say('That is not a @username.');
      continue;
    }
    try {
      const resolved = await client.invoke(new Api.contacts.ResolveUsername({ username: handle.username }));
      const user = resolved.users.find((u) => u instanceof Api.User && !u.bot);
      if (user && Number(user.id.toString()) !== assistantId) return Number(user.id.toString());
      say(`@${handle.username} is not a person's account other than the assistant's.`);
    } catch {
      say(`Nobody on Telegram has the username @${handle.username}.`);
    }
  }
}

runEntrypoint(async () => {
  const config = startup({ claude: false, owner: false });
  if (!config.telegramApiId || !config.telegramApiHash) {
    throw new TelegramLoginNeeded(
      'Set TELEGRAM_API_ID and TELEGRAM_API_HASH first: create an app at https://my.telegram.org ("API development tools") and put both in .env.',
    );
  }
  const account = await chooseAccount(config.telegramAccount);
  const whose = account === 'owner' ? 'your Telegram account' : "the assistant's Telegram account";
  const client = createTelegramClient(config, '');
  try {
    await client.start({
      phoneNumber: () => ask(`Phone number of ${whose} (international format, e.g. +79991234567): `),
      phoneCode: () => ask('The login code Telegram just sent to that account: '),
      password: (hint) => ask(`Its two-step verification password${hint ? ` (hint: ${hint})` : ''}: `, true),
      onError: async (err) => {
        process.stderr.write(`Telegram said: ${err.message}. Let's try that again.\n`);
        return false;
      },
    });
    const me = await client.getMe();
    const id = Number(me.id.toString());
    const name = [me.firstName, me.lastName].filter(Boolean).join(' ') || me.username || `id ${id}`;
    const path = await saveTelegramSession(config.dataDir, String(client.session.save()));
    say(`Logged in as ${name} (id ${id}). Login saved to ${path} (readable by you only).`);

    if (account === 'owner') {
      const bot = await askBotToken(config);
      await saveSettings({
        TELEGRAM_ACCOUNT: 'owner',
        OWNER_TELEGRAM_ID: String(id),
        ...(bot && { OWNER_BOT_TOKEN: bot.token }),
      });
      say(
        bot
          ? `Done. Start the assistant with \`npm start\`, then open https://t.me/${bot.username} and press Start: that chat is where you talk to the assistant.`
          : 'Done. Start the assistant with `npm start`, then write to it in your Saved Messages (they are your instructions; its answers appear there too, and what needs you rings as a reminder).',
      );
    } else {
      if (id === config.ownerTelegramId) {
        throw new TelegramLoginNeeded(
          'That is your own account (OWNER_TELEGRAM_ID): for assistant-account mode log in to a separate account, or choose 1.',
        );
      }
      const ownerId = config.ownerTelegramId || (await askOwnerId(client, id));
      await saveSettings({ TELEGRAM_ACCOUNT: 'assistant', OWNER_TELEGRAM_ID: String(ownerId) });
      say(
        `Done. Start the assistant with \`npm start\`, then, from your own account, write to ${me.username ? `@${me.username}` : name}: that chat is where you talk to the assistant. Your contacts write to it too.`,
      );
    }
  } finally {
    await client.destroy();
  }
});
