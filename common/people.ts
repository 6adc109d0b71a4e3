// Who is who: the owner is named by configuration, everyone else is an external contact.
import type { Db } from './db.ts';
import type { Role } from './domain.ts';

export function roleOf(telegramId: number, ownerTelegramId: number): Role {
  return telegramId === ownerTelegramId ? 'owner' : 'external';
}

export interface PersonNames {
  firstName?: string | null;
  lastName?: string | null;
  username?: string | null;
}

export function displayNameOf(person: PersonNames, fallback: string): string {
  const full = [person.firstName, person.lastName].filter(Boolean).join(' ').trim();
  if (full && person.username) return `${full} (@${person.username})`;
  if (full) return full;
  if (person.username) return `@${person.username}`;
  return fallback;
}

/**
 * How a person is named in a message, looked up by id: `fallback` before they have ever
 * written. Without the @username for text a contact reads ("New task from Olga").
 */
export async function nameOf(
  db: Pick<Db, 'user'>,
  telegramId: number,
  fallback: string,
  opts: { withUsername?: boolean } = {},
): Promise<string> {
  const person = await db.user.findUnique({ where: { telegramId: BigInt(telegramId) } });
  if (!person) return fallback;
  return opts.withUsername === false
    ? displayNameOf({ firstName: person.firstName, lastName: person.lastName }, fallback)
    : displayNameOf(person, fallback);
}
