// `npm run setup`: log in to the owner's Telegram account once (phone, code, 2FA
// password), keep the login in DATA_DIR/telegram.session (mode 0600), and record the
// owner's Telegram id in .env when it is not set yet.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { runEntrypoint, startup } from '../infra/entrypoint.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { createTelegramClient, TelegramLoginNeeded } from './telegram/client.ts';
import { saveTelegramSession } from './telegram/session-store.ts';

/** Asks a question on the terminal; `hidden` input (the 2FA password) is not echoed. */
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

runEntrypoint(async () => {
  const config = startup({ claude: false, owner: false });
  if (!config.telegramApiId || !config.telegramApiHash) {
    throw new TelegramLoginNeeded(
      'Set TELEGRAM_API_ID and TELEGRAM_API_HASH first: create an app at https://my.telegram.org ("API development tools") and put both in .env.',
    );
  }
  const client = createTelegramClient(config, '');
  try {
    await client.start({
      phoneNumber: () => ask('Phone number of your Telegram account (international format, e.g. +79991234567): '),
      phoneCode: () => ask('The login code Telegram just sent you: '),
      password: (hint) => ask(`Your two-step verification password${hint ? ` (hint: ${hint})` : ''}: `, true),
      onError: async (err) => {
        process.stderr.write(`Telegram said: ${err.message}. Let's try that again.\n`);
        return false;
      },
    });
    const me = await client.getMe();
    const id = Number(me.id.toString());
    const path = await saveTelegramSession(config.dataDir, String(client.session.save()));
    process.stdout.write(
      `Logged in as ${[me.firstName, me.lastName].filter(Boolean).join(' ')} (id ${id}). Login saved to ${path} (readable by you only).\n`,
    );

    if (config.ownerTelegramId === 0) {
      const envPath = join(REPO_ROOT, '.env');
      const current = await readFile(envPath, 'utf8').catch(() => '');
      await appendFile(envPath, `${current && !current.endsWith('\n') ? '\n' : ''}OWNER_TELEGRAM_ID=${id}\n`, {
        mode: 0o600,
      });
      process.stdout.write(`Saved OWNER_TELEGRAM_ID=${id} to .env.\n`);
    } else if (config.ownerTelegramId !== id) {
      process.stdout.write(
        `Note: OWNER_TELEGRAM_ID is ${config.ownerTelegramId}, but this account is ${id}. Set OWNER_TELEGRAM_ID=${id}.\n`,
      );
    }
    process.stdout.write('Done. Start the assistant with: npm start\n');
  } finally {
    await client.destroy();
  }
});
