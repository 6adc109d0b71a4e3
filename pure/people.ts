// Who is who: the owner is named by configuration, everyone else is an external contact.
import type { Role } from '../contracts/domain.ts';

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
