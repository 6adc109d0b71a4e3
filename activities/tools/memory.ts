// The owner's memory tools. Contacts are never offered them and are refused if a model
// asks anyway (roles below, enforced in execute.ts): nothing a contact says is written
// to memory unless the owner's own session decides to save it.
import { z } from 'zod';
import { displayNameOf } from '../../pure/people.ts';
import { onePerson } from './people.ts';
import { defineTool } from './types.ts';

const aboutPerson = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .optional()
  .describe("The person it is about (@username, id or name); leave out for the owner's own facts");

export const memorySave = defineTool({
  name: 'memory_save',
  description:
    "Remember a fact for the long term (a preference, a decision, something about a person). Kept in the owner's MEMORY.md, one line per fact.",
  roles: ['owner'],
  input: z.object({ text: z.string().trim().min(1).max(1000), about: aboutPerson }),
  async run({ db, config, memory }, { text, about }) {
    const person = about ? await onePerson(db, about, config.ownerTelegramId) : undefined;
    const fact = await memory.save(
      text,
      person && { id: Number(person.telegramId), name: displayNameOf(person, `id ${person.telegramId}`) },
    );
    const remembered = `Remembered (memory ${fact.id})${person ? ` about ${displayNameOf(person, 'them')}` : ''}: ${fact.text}`;
    return fact.indexed
      ? remembered
      : `${remembered}. It is kept in MEMORY.md, but the embeddings service is unavailable, so it can be found by meaning only once that service is back.`;
  },
});

export const memorySearch = defineTool({
  name: 'memory_search',
  description: "Search the owner's long-term memory by meaning and by words (names, exact phrases).",
  roles: ['owner'],
  input: z.object({ query: z.string().trim().min(1).max(500), about: aboutPerson }),
  async run({ db, config, memory }, { query, about }) {
    const person = about ? await onePerson(db, about, config.ownerTelegramId) : undefined;
    const hits = await memory.search(query, person ? { scope: 'contact', aboutId: Number(person.telegramId) } : {});
    if (hits.length === 0) return 'Nothing in memory matches.';
    return hits
      .map(
        (h) =>
          `- [memory ${h.fact.id}] ${h.fact.text}${h.fact.aboutId !== null ? ` (about id ${h.fact.aboutId})` : ''} — relevance ${h.score.toFixed(2)}`,
      )
      .join('\n');
  },
});

export const memoryForget = defineTool({
  name: 'memory_forget',
  description: 'Forget one memory by its id (from memory_search): removed from MEMORY.md and from the index.',
  roles: ['owner'],
  input: z.object({ id: z.string().trim().min(1).max(64) }),
  async run({ memory }, { id }) {
    const removed = await memory.forget(id);
    return removed ? `Forgotten: ${removed.text}` : `There is no memory ${id}.`;
  },
});
