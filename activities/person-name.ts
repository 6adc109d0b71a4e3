// How a person is named in the messages activities write, looked up in the database.
import type { Db } from '../infra/db.ts';
import { displayNameOf } from '../pure/people.ts';

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
