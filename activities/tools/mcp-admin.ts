// Owner tools to plug external MCP servers in and out at run time. The servers' tools
// reach the owner's sessions only, from the next turn on; secrets in env and headers
// are stored but never shown back.
import { z } from 'zod';
import type { McpConnections } from '../mcp/connections.ts';
import { describeServerTools, SERVER_NAME, toServerConfig } from '../mcp/mcp-tools.ts';
import { defineTool } from './types.ts';

const serverName = z
  .string()
  .regex(SERVER_NAME, 'lowercase letters, digits and dashes, up to 20, starting with a letter');

export const mcpAddServer = defineTool({
  name: 'mcp_add_server',
  description:
    'Add (or replace) an external MCP server whose tools the owner wants: stdio (command, args, env) or Streamable HTTP (url, headers). Its tools are available from the next message on.',
  roles: ['owner'],
  input: z.object({
    name: serverName,
    transport: z.enum(['stdio', 'http']),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).max(50).optional(),
    env: z.record(z.string(), z.string()).optional().describe('Environment for a stdio server (API keys...)'),
    url: z.string().url().optional(),
    headers: z.record(z.string(), z.string()).optional().describe('HTTP headers (e.g. Authorization)'),
    roots: z
      .array(z.string().min(1))
      .max(20)
      .optional()
      .describe('Folders the server may work in (absolute paths or file: URIs), announced to it as MCP roots'),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(600)
      .optional()
      .describe('How long one request may go without an answer or progress (default: the deployment setting)'),
  }),
  async run({ db, mcp }, input) {
    if (input.transport === 'stdio' && !input.command) return 'A stdio server needs a command.';
    if (input.transport === 'http' && !input.url) return 'An HTTP server needs a url.';
    const data = {
      transport: input.transport,
      command: input.transport === 'stdio' ? input.command! : null,
      args: input.args ?? [],
      env: input.env ?? {},
      url: input.transport === 'http' ? input.url! : null,
      headers: input.headers ?? {},
      roots: input.roots ?? [],
      timeoutMs: input.timeoutSeconds ? input.timeoutSeconds * 1000 : null,
      enabled: true,
    };
    const row = await db.mcpServer.upsert({
      where: { name: input.name },
      create: { name: input.name, ...data },
      update: data,
    });
    return `Added MCP server "${input.name}"${await readiness(mcp, row)}`;
  },
});

export const mcpListServers = defineTool({
  name: 'mcp_list_servers',
  description:
    "List the configured MCP servers with their health, tool count and tools left out (secrets are not shown). With logs, also each server's last diagnostic lines.",
  roles: ['owner'],
  input: z.object({ logs: z.boolean().optional().describe("Include the servers' recent diagnostic output") }),
  async run({ db, mcp }, { logs }) {
    const rows = await db.mcpServer.findMany({ orderBy: { name: 'asc' } });
    if (rows.length === 0) return 'No MCP servers configured.';
    const lines = rows.map((row) => {
      const server = toServerConfig(row);
      const where = server.transport === 'stdio' ? `${server.command} ${server.args.join(' ')}`.trim() : server.url;
      const secrets = [
        Object.keys(server.env).length ? `env: ${Object.keys(server.env).join(', ')}` : '',
        Object.keys(server.headers).length ? `headers: ${Object.keys(server.headers).join(', ')}` : '',
        server.roots.length ? `roots: ${server.roots.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      const head = `- ${row.name} (${server.transport}: ${where})`;
      const tail = secrets ? ` — ${secrets}` : '';
      const serverLog = logs ? mcp.logOf(row.id).tail(15) : [];
      const logLines = logs
        ? `\n  recent output:${serverLog.length ? serverLog.map((l) => `\n    ${l}`).join('') : ' none'}`
        : '';
      if (!row.enabled) return `${head} — disabled${tail}${logLines}`;
      // Health as this worker sees it; never waits on a server that does not answer.
      const health = mcp.health(server);
      if (health.state === 'connecting') return `${head} — connecting${tail}${logLines}`;
      if (health.state !== 'ready') {
        const error = health.state === 'failed' ? health.error : 'unknown';
        const retry = health.state === 'failed' ? `; trying again in ${Math.ceil(health.retryInMs / 1000)} s` : '';
        return `${head} — not answering: ${error}${retry}${tail}${logLines}`;
      }
      const { tools, leftOut } = describeServerTools(server, health.tools);
      const notes = leftOut.length ? `\n  left out: ${leftOut.join('; ')}` : '';
      return `${head} — healthy, ${tools.length} tool(s)${tail}${notes}${logLines}`;
    });
    return lines.join('\n');
  },
});

/** Waits (bounded by the server's timeout) for a server the owner just added or enabled, and says how it went. */
async function readiness(mcp: McpConnections, row: Parameters<typeof toServerConfig>[0]): Promise<string> {
  const server = toServerConfig(row);
  const health = await mcp.settle(server);
  if (health.state === 'ready') {
    const { tools, leftOut } = describeServerTools(server, health.tools);
    const left = leftOut.length ? ` Left out: ${leftOut.join('; ')}.` : '';
    return ` with ${tools.length} tool(s): ${tools.map((t) => t.tool).join(', ')}.${left}`;
  }
  const why = health.state === 'failed' ? health.error : 'still connecting';
  return `, but it does not answer yet (${why}). It stays configured and is tried again in the background; check it with mcp_list_servers.`;
}

export const mcpRemoveServer = defineTool({
  name: 'mcp_remove_server',
  description: 'Remove an MCP server; its tools disappear from the next message on.',
  roles: ['owner'],
  input: z.object({ name: serverName }),
  async run({ db, mcp }, { name }) {
    const row = await db.mcpServer.findUnique({ where: { name } });
    if (!row) return `There is no MCP server "${name}".`;
    await db.mcpServer.delete({ where: { name } });
    await mcp.close(row.id);
    return `Removed MCP server "${name}".`;
  },
});

function toggle(enabled: boolean) {
  return defineTool({
    name: enabled ? 'mcp_enable_server' : 'mcp_disable_server',
    description: enabled
      ? 'Enable a configured MCP server again.'
      : 'Disable an MCP server without removing it; its tools disappear from the next message on.',
    roles: ['owner'],
    input: z.object({ name: serverName }),
    async run({ db, mcp }, { name }) {
      const row = await db.mcpServer.findUnique({ where: { name } });
      if (!row) return `There is no MCP server "${name}".`;
      const updated = await db.mcpServer.update({ where: { name }, data: { enabled } });
      if (!enabled) {
        await mcp.close(row.id);
        return `MCP server "${name}" is now disabled.`;
      }
      return `MCP server "${name}" is now enabled${await readiness(mcp, updated)}`;
    },
  });
}

export const mcpEnableServer = toggle(true);
export const mcpDisableServer = toggle(false);
