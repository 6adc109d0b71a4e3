// Owner tools over people: fuzzy find (Latin/Cyrillic, transliteration, partial names),
// notes, time zone. Every person who writes is upserted by the gateway; these tools
// read and edit what the owner knows about them.
import { z } from 'zod';
import type { Db } from '../../infra/db.ts';
import { rankMatches } from './name-matching.ts';
import { displayNameOf } from '../../pure/people.ts';
import { isTimeZone } from '../../pure/time-zones.ts';
import { ACTIVE_STATUSES } from '../../contracts/negotiation.ts';
import { defineTool, NeedsClarification } from './types.ts';
import type { User } from '../../generated/prisma/client.ts';

const MAX_CANDIDATES = 10;

/**
 * The people `query` may mean, best first: a Telegram id or @username exactly, otherwise
 * by name (see name-matching.ts). Several results mean "ask which one".
 */
export async function findPeople(db: Db, query: string, ownerId: number): Promise<User[]> {
  const q = query.trim();
  if (/^\d{1,16}$/.test(q)) {
    const user = await db.user.findUnique({ where: { telegramId: BigInt(q) } });
    return user && Number(user.telegramId) !== ownerId ? [user] : [];
  }
  // The owner's address book is small (people who wrote to them): rank it in memory,
  // where transliteration and spelling variants are easy to get right.
  const everyone = await db.user.findMany({ where: { NOT: { telegramId: BigInt(ownerId) } } });
  return rankMatches(q, everyone).slice(0, MAX_CANDIDATES);
}

export function describeCandidates(query: string, people: User[]): string {
  return `Several people match "${query}"; ask the owner which one (never guess):\n${people
    .map((u) => `- ${personLine(u)}`)
    .join('\n')}`;
}

export function personLine(u: User): string {
  return `${displayNameOf(u, 'unnamed')} — id ${u.telegramId}${u.timeZone ? `, ${u.timeZone}` : ''}${u.blocked ? ' [blocked]' : ''}`;
}

/**
 * Exactly one person for `query`, or a refusal that tells the model what to ask: nobody
 * matches, or several do. A tool never acts on a guessed person.
 */
export async function onePerson(db: Db, query: string, ownerId: number): Promise<User> {
  const matches = await findPeople(db, query, ownerId);
  if (matches.length === 0) {
    throw new NeedsClarification(`No contact matches "${query}". Ask the owner for their @username or phone number.`);
  }
  if (matches.length > 1) throw new NeedsClarification(describeCandidates(query, matches));
  return matches[0]!;
}

const personQuery = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('@username, Telegram id, or name (any part, Latin or Cyrillic)');

export const findPerson = defineTool({
  name: 'find_person',
  description:
    'Find people by @username, Telegram id, or name — first or last, partial, in Latin or Cyrillic ("Ivan" finds "Иван"). Lists every candidate when several match.',
  roles: ['owner'],
  input: z.object({ query: personQuery }),
  async run({ db, config }, { query }) {
    const found = await findPeople(db, query, config.ownerTelegramId);
    if (found.length === 0) return `Nobody matches "${query}".`;
    if (found.length === 1)
      return `Found: ${personLine(found[0]!)}${found[0]!.notes ? `\nNotes: ${found[0]!.notes}` : ''}`;
    return describeCandidates(query, found);
  },
});

export const getPerson = defineTool({
  name: 'get_person',
  description: 'Everything the owner knows about one person: names, time zone, notes, open tasks and conversations.',
  roles: ['owner'],
  input: z.object({ person: personQuery }),
  async run({ db, config }, { person }) {
    const u = await onePerson(db, person, config.ownerTelegramId);
    const [tasks, conversations] = await Promise.all([
      db.task.count({ where: { assigneeId: u.telegramId, status: { in: ['open', 'in_progress'] } } }),
      db.negotiation.count({
        where: { contactId: u.telegramId, status: { in: [...ACTIVE_STATUSES] } },
      }),
    ]);
    return [
      personLine(u),
      u.phone ? `Phone: ${u.phone}` : '',
      `Time zone: ${u.timeZone ?? 'not set'}`,
      `Notes: ${u.notes ?? '(none)'}`,
      `Open tasks: ${tasks}; active conversations: ${conversations}.`,
    ]
      .filter(Boolean)
      .join('\n');
  },
});

export const setPersonNotes = defineTool({
  name: 'set_person_notes',
  description: "Write the owner's notes about a person (replace them, or append a line).",
  roles: ['owner'],
  input: z.object({
    person: personQuery,
    notes: z.string().max(4000),
    mode: z.enum(['replace', 'append']).default('append'),
  }),
  async run({ db, config }, { person, notes, mode }) {
    const u = await onePerson(db, person, config.ownerTelegramId);
    let text = notes;
    if (mode === 'append' && u.notes) {
      // A retried append (its first completion lost) finds its line already last: added once.
      text = u.notes.trimEnd().endsWith(notes.trim()) ? u.notes : `${u.notes}\n${notes}`;
    }
    await db.user.update({ where: { telegramId: u.telegramId }, data: { notes: text.trim() || null } });
    return `Notes about ${displayNameOf(u, `id ${u.telegramId}`)} ${mode === 'append' ? 'updated' : 'replaced'}.`;
  },
});

export const setPersonTimeZone = defineTool({
  name: 'set_person_timezone',
  description: "Set a person's time zone (IANA name such as Europe/Berlin), used for their times and nudges.",
  roles: ['owner'],
  input: z.object({ person: personQuery, time_zone: z.string().min(1).max(64) }),
  async run({ db, config }, { person, time_zone }) {
    if (!isTimeZone(time_zone)) return `"${time_zone}" is not a time zone; use an IANA name such as Europe/Berlin.`;
    const u = await onePerson(db, person, config.ownerTelegramId);
    await db.user.update({ where: { telegramId: u.telegramId }, data: { timeZone: time_zone } });
    return `${displayNameOf(u, `id ${u.telegramId}`)} is now in ${time_zone}.`;
  },
});
