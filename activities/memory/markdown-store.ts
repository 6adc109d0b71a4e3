// The owner's long-term memory as a human-readable MEMORY.md in the workspace. One
// fact per bullet line; facts about a person sit under "## About <name> (id <telegramId>)",
// everything else is the owner's own. The file is the source of truth: the owner may edit
// it by hand, and the index follows (see memory-service.ts). Writes touch only the line
// concerned, so hand-written text around the bullets stays as it was.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export type MemoryScope = 'owner' | 'contact';

export interface MemoryFact {
  /** Content-addressed: a fact edited by hand is a new fact (and the old one is gone). */
  id: string;
  scope: MemoryScope;
  /** The person a contact-scoped fact is about. */
  aboutId: number | null;
  text: string;
  /** The person's name from the section heading: indexed with the fact, so their name finds it. */
  aboutName?: string;
}

const HEADER = `# Memory

What the assistant remembers for you. Edit freely: one fact per line starting with "- ".
Facts about a person go under a heading "## About <name> (id <their Telegram id>)".

## General
`;

const STALE_LOCK_MS = 10_000;
const LOCK_ATTEMPTS = 500;

const ABOUT = /^##\s+About\s+(.*?)\s*\(id\s+(\d{1,16})\)\s*$/i;
const BULLET = /^\s*[-*]\s+(.+?)\s*$/;

export function factId(scope: MemoryScope, aboutId: number | null, text: string): string {
  return createHash('sha256')
    .update(`${scope}:${aboutId ?? ''}:${normalizeFact(text)}`)
    .digest('hex')
    .slice(0, 12);
}

/** One line, trimmed: a fact never spans lines (that would break the file's shape). */
export function normalizeFact(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function parseMemory(markdown: string): MemoryFact[] {
  const facts: MemoryFact[] = [];
  const seen = new Set<string>();
  let aboutId: number | null = null;
  let aboutName: string | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('#')) {
      const about = ABOUT.exec(line);
      aboutId = about ? Number(about[2]) : null;
      aboutName = about?.[1] || undefined;
      continue;
    }
    const bullet = BULLET.exec(line);
    if (!bullet) continue;
    const text = normalizeFact(bullet[1]!);
    const scope: MemoryScope = aboutId === null ? 'owner' : 'contact';
    const id = factId(scope, aboutId, text);
    if (text && !seen.has(id)) {
      seen.add(id);
      facts.push({ id, scope, aboutId, text, ...(aboutName && { aboutName }) });
    }
  }
  return facts;
}

export class MarkdownMemory {
  /** Writes of this process, one at a time: two saves in one turn must not overwrite each other. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const locked = () => this.withFileLock(fn);
    const run = this.writes.then(locked, locked);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /**
   * Other processes (more than one worker) write the same file: a lock file, created
   * exclusively, makes their read-modify-writes take turns. A lock older than
   * STALE_LOCK_MS belonged to a process that died mid-write and is taken over.
   */
  private async withFileLock<T>(fn: () => Promise<T>): Promise<T> {
    const lock = `${this.path}.lock`;
    await mkdir(dirname(this.path), { recursive: true });
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(lock, String(process.pid), { flag: 'wx' });
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await rm(lock, { force: true });
        else if (attempt > LOCK_ATTEMPTS) throw new Error(`MEMORY.md is locked by another process (${lock}).`);
        else await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }

  async read(): Promise<string> {
    try {
      return await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  /** Changes when the file does: the index re-reads it only then. */
  async signature(): Promise<string> {
    try {
      const s = await stat(this.path);
      return `${s.mtimeMs}:${s.size}`;
    } catch {
      return 'missing';
    }
  }

  async facts(): Promise<MemoryFact[]> {
    return parseMemory(await this.read());
  }

  /** Adds a fact under its section (created if needed); a fact already there is not repeated. */
  add(fact: Omit<MemoryFact, 'id'>, aboutName?: string): Promise<MemoryFact> {
    return this.serial(() => this.addNow(fact, aboutName));
  }

  remove(id: string): Promise<MemoryFact | undefined> {
    return this.serial(() => this.removeNow(id));
  }

  private async addNow(fact: Omit<MemoryFact, 'id'>, aboutName?: string): Promise<MemoryFact> {
    const text = normalizeFact(fact.text);
    const saved: MemoryFact = { ...fact, text, id: factId(fact.scope, fact.aboutId, text) };
    const current = (await this.read()) || HEADER;
    if (parseMemory(current).some((f) => f.id === saved.id)) return saved;
    const lines = current.replace(/\n+$/, '').split('\n');
    const sectionStart =
      fact.aboutId === null
        ? lines.findIndex((l) => /^##\s+General\s*$/i.test(l))
        : lines.findIndex((l) => ABOUT.exec(l)?.[2] === String(fact.aboutId));
    if (sectionStart === -1) {
      const heading = fact.aboutId === null ? '## General' : `## About ${aboutName ?? 'someone'} (id ${fact.aboutId})`;
      lines.push('', heading, `- ${text}`);
    } else {
      // After the section's last line that is not blank, before the next heading.
      let end = sectionStart + 1;
      while (end < lines.length && !lines[end]!.startsWith('#')) end++;
      while (end > sectionStart + 1 && lines[end - 1]!.trim() === '') end--;
      lines.splice(end, 0, `- ${text}`);
    }
    await this.write(`${lines.join('\n')}\n`);
    return saved;
  }

  /** Removes a fact's line; undefined when no such fact is in the file. */
  private async removeNow(id: string): Promise<MemoryFact | undefined> {
    const current = await this.read();
    let aboutId: number | null = null;
    let removed: MemoryFact | undefined;
    const kept = current.split('\n').filter((line) => {
      if (line.startsWith('#')) {
        const about = ABOUT.exec(line);
        aboutId = about ? Number(about[2]) : null;
        return true;
      }
      const bullet = BULLET.exec(line);
      if (!bullet || removed) return true;
      const text = normalizeFact(bullet[1]!);
      const scope: MemoryScope = aboutId === null ? 'owner' : 'contact';
      if (factId(scope, aboutId, text) !== id) return true;
      removed = { id, scope, aboutId, text };
      return false;
    });
    if (removed) await this.write(kept.join('\n'));
    return removed;
  }

  /** Written whole to a temporary file, then renamed: a crash never leaves half a file. */
  private async write(content: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, content, { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
