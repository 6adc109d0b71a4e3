// A person to act on who may never have written: known people first (by @username,
// Telegram id or name); otherwise an @username or phone number is looked up on Telegram
// by the gateway (workflows/look-up-person.ts) and the person recorded, so "write to @bob"
// works for someone the owner has never heard from here.
import type { User } from '../../generated/prisma/client.ts';
import { parseTelegramHandle } from '../../pure/telegram-handles.ts';
import { describeCandidates, findPeople } from './people.ts';
import { NeedsClarification } from './types.ts';
import type { ToolContext } from './types.ts';

export async function reachablePerson(
  ctx: Pick<ToolContext, 'db' | 'config' | 'lookUpPerson'>,
  query: string,
): Promise<User> {
  const { db, config } = ctx;
  const handle = parseTelegramHandle(query);
  const matches =
    handle?.kind === 'phone'
      ? await db.user.findMany({ where: { phone: handle.phone, NOT: { telegramId: BigInt(config.ownerTelegramId) } } })
      : await findPeople(db, query, config.ownerTelegramId);
  if (matches.length > 1) throw new NeedsClarification(describeCandidates(query, matches));
  if (matches.length === 1) return matches[0]!;
  if (!handle) {
    throw new NeedsClarification(
      `No contact matches "${query}". Ask the owner for their @username or phone number (people who have not written yet can be found that way).`,
    );
  }
  const found = await ctx.lookUpPerson(query);
  if (!found.found) throw new NeedsClarification(found.sentence);
  return db.user.findUniqueOrThrow({ where: { telegramId: BigInt(found.telegramId) } });
}
