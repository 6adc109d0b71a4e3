// The owner's MCP servers as tools for Claude, and the calls back to them. Names come
// from pure/mcp-tool-names.ts (valid and unique by construction) and dispatch goes
// through the same assignment, never by parsing a name. Only tools of servers that are
// ready right now are offered: an owner turn never waits on a server. Tools this client
// cannot run (task-only) or offer (a schema that is not an object) are left out with a
// note that `mcp_list_servers` shows.
import type Anthropic from '@anthropic-ai/sdk';
import type { Tool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Db } from '../../infra/db.ts';
import { registerSecrets } from '../../infra/logger.ts';
import { assignToolNames } from '../../pure/mcp-tool-names.ts';
import type { McpConnections, McpServerConfig } from './connections.ts';

export { isMcpToolName, SERVER_NAME } from '../../pure/mcp-tool-names.ts';

export function toServerConfig(row: {
  id: string;
  name: string;
  transport: 'stdio' | 'http';
  command: string | null;
  args: unknown;
  env: unknown;
  url: string | null;
  headers: unknown;
  roots?: unknown;
  timeoutMs?: number | null;
  updatedAt: Date;
}): McpServerConfig {
  const env = (row.env ?? {}) as Record<string, string>;
  const headers = (row.headers ?? {}) as Record<string, string>;
  // Values of env and headers are credentials as far as we know: never in the logs.
  registerSecrets([...Object.values(env), ...Object.values(headers)]);
  return {
    id: row.id,
    name: row.name,
    transport: row.transport,
    command: row.command,
    args: (row.args ?? []) as string[],
    env,
    url: row.url,
    headers,
    roots: (row.roots ?? []) as string[],
    timeoutMs: row.timeoutMs ?? null,
    updatedAt: row.updatedAt,
  };
}

export async function enabledServers(db: Db): Promise<McpServerConfig[]> {
  return (await db.mcpServer.findMany({ where: { enabled: true }, orderBy: { name: 'asc' } })).map(toServerConfig);
}

/** One MCP tool as offered to the model, with what the server says about it (for privilege policies). */
export interface McpToolDescriptor {
  /** The name offered to Claude. */
  name: string;
  server: McpServerConfig;
  /** The server's own name for the tool. */
  tool: string;
  description: string;
  inputSchema: Anthropic.Tool.InputSchema;
  /** The server's hints (readOnlyHint, destructiveHint, idempotentHint, openWorldHint); untrusted. */
  annotations: ToolAnnotations;
}

/** A server's offerable tools under their names, and the tools left out with why. */
export function describeServerTools(
  server: McpServerConfig,
  tools: Tool[],
): { tools: McpToolDescriptor[]; leftOut: string[] } {
  const leftOut: string[] = [];
  const offerable = tools.filter((tool) => {
    if (tool.execution?.taskSupport === 'required') {
      leftOut.push(`${tool.name}: it runs only as a background task, which this assistant cannot follow`);
      return false;
    }
    if (tool.inputSchema?.type !== 'object') {
      leftOut.push(`${tool.name}: its input schema is not an object`);
      return false;
    }
    return true;
  });
  const byName = new Map(offerable.map((t) => [t.name, t]));
  const { assigned, skipped } = assignToolNames(
    server.name,
    offerable.map((t) => t.name),
  );
  leftOut.push(...skipped.map((s) => `${s.tool}: ${s.reason}`));
  return {
    tools: assigned.map(({ tool, name }) => {
      const definition = byName.get(tool)!;
      return {
        name,
        server,
        tool,
        description: `[External tool "${tool}" from MCP server "${server.name}"] ${definition.description ?? ''}`.slice(
          0,
          1024,
        ),
        inputSchema: { ...definition.inputSchema, type: 'object' },
        annotations: definition.annotations ?? {},
      };
    }),
    leftOut,
  };
}

/** The MCP tools offered now: the ready servers' tools. Starts connections as needed, never waits. */
export async function mcpToolCatalogue(db: Db, mcp: McpConnections): Promise<McpToolDescriptor[]> {
  const servers = await enabledServers(db);
  mcp.refresh(servers);
  return servers.flatMap((server) => {
    const health = mcp.health(server);
    return health.state === 'ready' ? describeServerTools(server, health.tools).tools : [];
  });
}

export async function mcpToolsForClaude(db: Db, mcp: McpConnections): Promise<Anthropic.Tool[]> {
  return (await mcpToolCatalogue(db, mcp)).map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema,
  }));
}

/** The server and tool behind an offered name, waiting for the server if it is (re)connecting. */
export async function resolveMcpTool(
  db: Db,
  mcp: McpConnections,
  name: string,
): Promise<McpToolDescriptor | { missing: string }> {
  const servers = await enabledServers(db);
  const server = servers.find((s) => name.startsWith(`mcp__${s.name}__`));
  if (!server) return { missing: `There is no enabled MCP server for the tool "${name}".` };
  const health = await mcp.settle(server);
  if (health.state !== 'ready') {
    const why = health.state === 'failed' ? health.error : 'it is still connecting';
    return { missing: `The MCP server "${server.name}" is not answering (${why}); its tools are unavailable for now.` };
  }
  const found = describeServerTools(server, health.tools).tools.find((t) => t.name === name);
  return found ?? { missing: `The MCP server "${server.name}" has no tool "${name}" (any more).` };
}
