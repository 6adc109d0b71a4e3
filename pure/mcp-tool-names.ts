// Names under which an MCP server's tools are offered to Claude: `mcp__<server>__<tool>`,
// valid for the Messages API (^[a-zA-Z0-9_-]{1,64}$) and unique by construction, so no
// server can make the owner's requests invalid ("tools: duplicate name"). A tool whose
// name is already valid and fits keeps it; any other gets a short stable hash of its
// own name, so `files.read` and `files_read`, or two long names cut at the same place,
// stay apart. Dispatch goes through the resulting map, never by parsing the name back.

export const MCP_PREFIX = 'mcp__';
/** Server names: no underscores, so `__` after the server name is unambiguous. */
export const SERVER_NAME = /^[a-z][a-z0-9-]{0,19}$/;
const CLAUDE_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME = 64;
const HASH_CHARS = 7;

export function isMcpToolName(name: string): boolean {
  return name.startsWith(MCP_PREFIX);
}

/** FNV-1a, 32 bits, base 36: stable across processes and versions, no Node import (pure/). */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(HASH_CHARS, '0').slice(-HASH_CHARS);
}

export interface AssignedName {
  /** The server's own spelling. */
  tool: string;
  /** The name offered to Claude. */
  name: string;
}

export interface NameAssignment {
  assigned: AssignedName[];
  /** Tools that could not get a name (a hash collision; practically never), with why. */
  skipped: Array<{ tool: string; reason: string }>;
}

/** Names for one server's tools; `server` must match SERVER_NAME. */
export function assignToolNames(server: string, tools: readonly string[]): NameAssignment {
  const prefix = `${MCP_PREFIX}${server}__`;
  const room = MAX_NAME - prefix.length;
  const sanitized = (tool: string) => tool.replace(/[^a-zA-Z0-9_-]/g, '_');
  // Tools whose plain (sanitised) name would be shared with another tool of the server.
  const plainCount = new Map<string, number>();
  for (const tool of new Set(tools)) plainCount.set(sanitized(tool), (plainCount.get(sanitized(tool)) ?? 0) + 1);

  const used = new Set<string>();
  const assigned: AssignedName[] = [];
  const skipped: NameAssignment['skipped'] = [];
  const seen = new Set<string>();
  for (const tool of tools) {
    if (seen.has(tool)) {
      skipped.push({ tool, reason: 'the server lists this tool twice' });
      continue;
    }
    seen.add(tool);
    const plain = sanitized(tool);
    // Unchanged, short enough, and no other tool of the server would look the same.
    const keepsName = plain === tool && plain.length > 0 && plain.length <= room && plainCount.get(plain) === 1;
    const body = keepsName ? plain : `${plain.slice(0, room - HASH_CHARS - 1)}_${shortHash(tool)}`;
    const name = `${prefix}${body}`;
    if (!CLAUDE_TOOL_NAME.test(name) || used.has(name)) {
      skipped.push({ tool, reason: 'its name could not be made unique for the model' });
      continue;
    }
    used.add(name);
    assigned.push({ tool, name });
  }
  return { assigned, skipped };
}
