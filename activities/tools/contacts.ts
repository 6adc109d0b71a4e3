// Owner tools over the people who have written to the owner.
import { z } from 'zod';
import { displayNameOf } from '../../pure/people.ts';
import { onePerson } from './people.ts';
import { defineTool, ToolRefusal } from './types.ts';

export const listContacts = defineTool({
  name: 'list_contacts',
  description:
    'List people who have written to the owner (newest first). Optionally filter by part of a name or @username.',
  roles: ['owner'],
  input: z.object({
    query: z.string().max(200).optional().describe('Part of a first/last name or username to filter by'),
  }),
  async run({ db }, { query }) {
    const q = query?.replace(/^@/, '').trim();
    const users = await db.user.findMany({
      where: q
        ? {
            OR: [
              { username: { contains: q, mode: 'insensitive' } },
              { firstName: { contains: q, mode: 'insensitive' } },
              { lastName: { contains: q, mode: 'insensitive' } },
            ],
          }
        : {},
      orderBy: { updatedAt: 'desc' },
      take: 50,
    });
    if (users.length === 0) return q ? `No contact matches "${q}".` : 'No contacts yet.';
    return users
      .map(
        (u) =>
          `- ${displayNameOf(u, 'unnamed')} — id ${u.telegramId}${u.role === 'owner' ? ' (you)' : ''}${u.blocked ? ' [blocked]' : ''}`,
      )
      .join('\n');
  },
});

export const setContactBlocked = defineTool({
  name: 'set_contact_blocked',
  description:
    'Block or unblock a contact (by @username, Telegram id or name). Messages from a blocked contact are ignored and get no answer.',
  roles: ['owner'],
  input: z.object({
    person: z.string().trim().min(1).max(200).describe('@username, Telegram id, or name'),
    blocked: z.boolean(),
  }),
  async run({ db, config }, { person, blocked }) {
    if (person.trim() === String(config.ownerTelegramId)) throw new ToolRefusal('The owner cannot be blocked.');
    const user = await onePerson(db, person, config.ownerTelegramId);
    await db.user.update({ where: { telegramId: user.telegramId }, data: { blocked } });
    return `${displayNameOf(user, `id ${user.telegramId}`)} is now ${blocked ? 'blocked' : 'unblocked'}.`;
  },
});
