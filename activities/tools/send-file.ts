// Sends the owner a file a tool produced (an MCP tool's image, a saved resource): the
// file must be in the owner's own workspace. It goes out through the owner's session as
// a notice keyed by this tool call, and the gateway's send is keyed the same way, so a
// retried call delivers it exactly once.
import { stat } from 'node:fs/promises';
import { basename, extname, resolve, sep } from 'node:path';
import { z } from 'zod';
import { workspaceRoot } from '../../infra/workspace.ts';
import { defineTool, ToolRefusal } from './types.ts';

export const sendFileToOwner = defineTool({
  name: 'send_file_to_owner',
  description:
    'Send the owner a file a tool produced, such as an image an MCP tool returned ("saved as <path>" in its output), with a short caption. Only files in the owner\'s workspace.',
  roles: ['owner'],
  input: z.object({
    file: z.string().min(1).max(300).describe('The path as the tool output gave it, e.g. 123/mcp/abc-1.png'),
    caption: z.string().max(1000).optional(),
  }),
  async run({ config, callId, notifyOwner }, { file, caption }) {
    const ownerDir = resolve(workspaceRoot(config.dataDir), String(config.ownerTelegramId)) + sep;
    const absolute = resolve(workspaceRoot(config.dataDir), file);
    if (!absolute.startsWith(ownerDir)) throw new ToolRefusal(`"${file}" is not a file of the owner's workspace`);
    const info = await stat(absolute).catch(() => null);
    if (!info?.isFile()) return `There is no file "${file}" in the workspace (any more).`;
    await notifyOwner({
      noticeId: `file/${callId}`,
      fromTelegramId: config.ownerTelegramId,
      fromName: 'Jobs',
      text: `Sent the owner the file ${file}${caption ? ` with the caption "${caption}"` : ''}.`,
      display: caption?.trim() || `📎 ${basename(file)}`,
      file: { path: file, fileName: basename(file), mimeType: mimeTypeOf(file) },
    });
    return `The file ${basename(file)} is on its way to the owner (it arrives after this answer).`;
  },
});

const MIME_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
};

function mimeTypeOf(file: string): string {
  return MIME_TYPES[extname(file).slice(1).toLowerCase()] ?? 'application/octet-stream';
}
