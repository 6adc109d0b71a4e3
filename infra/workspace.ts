// The workspace: files people send, kept per person under DATA_DIR/workspace/<telegramId>/.
// Paths handed between processes are relative to the workspace and checked on use, so
// nothing can point outside a person's own folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

export function workspaceRoot(dataDir: string): string {
  return resolve(dataDir, 'workspace');
}

function safeName(name: string): string {
  const cleaned = name
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_')
    .replace(/^\.+/, '');
  return cleaned.slice(-100) || 'file';
}

/** Saves a received file; returns its path relative to the workspace root. */
export async function saveIncomingFile(
  dataDir: string,
  telegramId: number,
  messageId: number,
  fileName: string,
  content: Buffer,
): Promise<string> {
  const relative = `${telegramId}/${messageId}-${safeName(fileName)}`;
  const absolute = join(workspaceRoot(dataDir), relative);
  await mkdir(join(workspaceRoot(dataDir), String(telegramId)), { recursive: true });
  await writeFile(absolute, content, { mode: 0o600 });
  return relative;
}

export class OutsideWorkspace extends Error {}

/** Reads a file of one person's workspace; refuses paths that leave it. */
export async function readPersonFile(dataDir: string, telegramId: number, relative: string): Promise<Buffer> {
  const personDir = join(workspaceRoot(dataDir), String(telegramId)) + sep;
  const absolute = resolve(workspaceRoot(dataDir), relative);
  if (!absolute.startsWith(personDir)) throw new OutsideWorkspace(`Not in the workspace of ${telegramId}: ${relative}`);
  return readFile(absolute);
}
