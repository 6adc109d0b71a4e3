// Owner tools to plug external MCP servers in and out at run time. The servers' tools
// reach the owner's sessions only, from the next turn on; secrets in env and headers
// are stored but never shown back.
import { z } from 'zod';
import { SERVER_NAME, toServerConfig } from '../mcp/mcp-tools.ts';
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
      enabled: true,
    };
    const row = await db.mcpServer.upsert({
      where: { name: input.name },
      create: { name: input.name, ...data },
      update: data,
    });
    try {
      const tools = await mcp.listTools(toServerConfig(row));
      return `Added MCP server "${input.name}" with ${tools.length} tool(s): ${tools.map((t) => t.name).join(', ')}.`;
    } catch (err) {
      return `Added MCP server "${input.name}", but it does not answer yet (${(err as Error).message}). It stays configured; check it with mcp_list_servers.`;
    }
  },
});

export const mcpListServers = defineTool({
  name: 'mcp_list_servers',
  description: 'List the configured MCP servers with their health and tool count (secrets are not shown).',
  roles: ['owner'],
  input: z.object({}),
  async run({ db, mcp }) {
    const rows = await db.mcpServer.findMany({ orderBy: { name: 'asc' } });
    if (rows.length === 0) return 'No MCP servers configured.';
    const lines = await Promise.all(
      rows.map(async (row) => {
        const server = toServerConfig(row);
        const where = server.transport === 'stdio' ? `${server.command} ${server.args.join(' ')}`.trim() : server.url;
        const secrets = [
          Object.keys(server.env).length ? `env: ${Object.keys(server.env).join(', ')}` : '',
          Object.keys(server.headers).length ? `headers: ${Object.keys(server.headers).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ');
        if (!row.enabled)
          return `- ${row.name} (${server.transport}: ${where}) — disabled${secrets ? ` — ${secrets}` : ''}`;
        try {
          const tools = await mcp.listTools(server);
          return `- ${row.name} (${server.transport}: ${where}) — healthy, ${tools.length} tool(s)${secrets ? ` — ${secrets}` : ''}`;
        } catch (err) {
          return `- ${row.name} (${server.transport}: ${where}) — not answering: ${(err as Error).message}`;
        }
      }),
    );
    return lines.join('\n');
  },
});

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
      await db.mcpServer.update({ where: { name }, data: { enabled } });
      if (!enabled) await mcp.close(row.id);
      return `MCP server "${name}" is now ${enabled ? 'enabled' : 'disabled'}.`;
    },
  });
}

export const mcpEnableServer = toggle(true);
export const mcpDisableServer = toggle(false);
