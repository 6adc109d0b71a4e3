// Finds on Telegram someone the owner named by @username or phone number, who has never
// written: `contacts.resolveUsername`, or for a phone `contacts.resolvePhone` and, when
// privacy hides the number from strangers, `contacts.importContacts` (which adds them to
// the account's address book, as the Telegram apps do). The person is recorded with the
// access hash needed to write to them, so the conversation can start.
import { ApplicationFailure } from '@temporalio/activity';
import bigInt from 'big-integer';
import { Api, errors } from 'telegram';
import type { Db } from '../../infra/db.ts';
import { roleOf } from '../../pure/people.ts';
import { parseTelegramHandle } from '../../pure/telegram-handles.ts';
import type { LookUpPersonInput, LookUpPersonResult } from '../../contracts/look-up-person.ts';
import type { Invoke } from './outgoing.ts';

// Telegram's answers that mean "nobody by that name or number".
const NOT_FOUND = ['USERNAME_NOT_OCCUPIED', 'USERNAME_INVALID', 'PHONE_NOT_OCCUPIED', 'PHONE_NUMBER_INVALID'];

export class TelegramPeopleLookup {
  constructor(private readonly deps: { invoke: Invoke; db: Db; ownerTelegramId: number; selfId: number }) {}

  async lookUp({ handle }: LookUpPersonInput): Promise<LookUpPersonResult> {
    const parsed = parseTelegramHandle(handle);
    if (!parsed) {
      return {
        found: false,
        sentence: `"${handle}" is neither an @username nor a phone number (like +44 20 7946 0958).`,
      };
    }
    const named = parsed.kind === 'username' ? `@${parsed.username}` : `+${parsed.phone}`;
    let found: { user?: Api.User; notAPerson?: string } | undefined;
    try {
      found = parsed.kind === 'username' ? await this.byUsername(parsed.username) : await this.byPhone(parsed.phone);
    } catch (err) {
      if (err instanceof errors.FloodWaitError) {
        throw ApplicationFailure.create({
          type: 'TelegramFloodWait',
          message: `Telegram asks to wait ${err.seconds} s before looking people up again`,
          nextRetryDelay: err.seconds * 1000,
        });
      }
      if (!(err instanceof errors.RPCError && NOT_FOUND.includes(err.errorMessage))) throw err;
    }
    if (found?.notAPerson)
      return { found: false, sentence: `${named} is ${found.notAPerson}, not a person: I only talk with people.` };
    const user = found?.user;
    if (!user) {
      return {
        found: false,
        sentence:
          parsed.kind === 'username'
            ? `Nobody on Telegram has the username ${named}: check the spelling, or give their phone number.`
            : `No Telegram account could be found for ${named}: the number may not be on Telegram, or its owner lets only their contacts find it. Ask them for their @username.`,
      };
    }
    const telegramId = Number(user.id.toString());
    if (telegramId === this.deps.ownerTelegramId) return { found: false, sentence: `${named} is you.` };
    if (telegramId === this.deps.selfId) return { found: false, sentence: `${named} is the assistant's own account.` };
    const names = {
      accessHash: user.accessHash?.toString(),
      username: user.username ?? undefined,
      firstName: user.firstName ?? undefined,
      lastName: user.lastName ?? undefined,
      phone: user.phone ?? (parsed.kind === 'phone' ? parsed.phone : undefined),
    };
    await this.deps.db.user.upsert({
      where: { telegramId: BigInt(telegramId) },
      create: { telegramId: BigInt(telegramId), role: roleOf(telegramId, this.deps.ownerTelegramId), ...names },
      update: names,
    });
    return { found: true, telegramId };
  }

  private async byUsername(username: string) {
    return this.fromResolved(await this.deps.invoke(new Api.contacts.ResolveUsername({ username })));
  }

  private async byPhone(phone: string) {
    try {
      const resolved = this.fromResolved(await this.deps.invoke(new Api.contacts.ResolvePhone({ phone })));
      if (resolved.user || resolved.notAPerson) return resolved;
    } catch (err) {
      if (!(err instanceof errors.RPCError && NOT_FOUND.includes(err.errorMessage))) throw err;
    }
    // Hidden from strangers: as a contact the number may still find them.
    const imported = await this.deps.invoke(
      new Api.contacts.ImportContacts({
        contacts: [new Api.InputPhoneContact({ clientId: bigInt(phone), phone, firstName: `+${phone}`, lastName: '' })],
      }),
    );
    const user = imported.users.find((u): u is Api.User => u instanceof Api.User);
    return { user };
  }

  private fromResolved(resolved: Api.contacts.ResolvedPeer): { user?: Api.User; notAPerson?: string } {
    if (!(resolved.peer instanceof Api.PeerUser)) return { notAPerson: 'a channel or a group' };
    const user = resolved.users.find(
      (u): u is Api.User => u instanceof Api.User && u.id.equals((resolved.peer as Api.PeerUser).userId),
    );
    if (user?.bot) return { notAPerson: 'a bot' };
    return { user };
  }
}
