// Connections to the owner's external MCP servers (stdio or Streamable HTTP), kept
// open and reused across activities of this worker. A connection is keyed by the
// server's config version (its updatedAt), so an edited server gets a fresh one; a
// removed or failed one is closed. Every request has a timeout.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { log } from '../../infra/logger.ts';

export interface McpServerConfig {
  id: string;
  name: string;
  transport: 'stdio' | 'http';
  command: string | null;
  args: string[];
  env: Record<string, string>;
  url: string | null;
  headers: Record<string, string>;
  updatedAt: Date;
}

interface Entry {
  version: number;
  client: Promise<Client>;
  tools?: { at: number; list: Tool[] };
}

const TOOL_LIST_TTL_MS = 60_000;

export class McpConnections {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly timeoutMs: number) {}

  private connect(server: McpServerConfig): Promise<Client> {
    const existing = this.entries.get(server.id);
    if (existing && existing.version === server.updatedAt.getTime()) return existing.client;
    if (existing) void this.close(server.id);
    const client = new Client({ name: 'jobs', version: '0.1.0' });
    const transport =
      server.transport === 'stdio'
        ? new StdioClientTransport({
            command: server.command ?? '',
            args: server.args,
            // A stdio child inherits only a few variables; the server's own come from its config.
            env: { ...getDefaultEnvironment(), ...server.env },
            stderr: 'pipe',
          })
        : new StreamableHTTPClientTransport(new URL(server.url ?? ''), { requestInit: { headers: server.headers } });
    const connected = client.connect(transport, { timeout: this.timeoutMs }).then(() => client);
    const entry: Entry = { version: server.updatedAt.getTime(), client: connected };
    this.entries.set(server.id, entry);
    // A server that exits or drops the connection is forgotten; the next call reconnects.
    client.onclose = () => {
      if (this.entries.get(server.id) === entry) this.entries.delete(server.id);
    };
    connected.catch(() => {
      if (this.entries.get(server.id) === entry) this.entries.delete(server.id);
    });
    return connected;
  }

  async listTools(server: McpServerConfig): Promise<Tool[]> {
    const client = await this.connect(server);
    const entry = this.entries.get(server.id);
    if (entry?.tools && Date.now() - entry.tools.at < TOOL_LIST_TTL_MS) return entry.tools.list;
    const { tools } = await client.listTools(undefined, { timeout: this.timeoutMs });
    if (entry) entry.tools = { at: Date.now(), list: tools };
    return tools;
  }

  async callTool(server: McpServerConfig, name: string, args: Record<string, unknown>) {
    const client = await this.connect(server);
    try {
      return await client.callTool({ name, arguments: args }, undefined, { timeout: this.timeoutMs });
    } catch (err) {
      // A hung or broken server should not poison the next call: start over next time.
      await this.close(server.id);
      throw err;
    }
  }

  async close(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (!entry) return;
    try {
      await (await entry.client).close();
    } catch (err) {
      log.debug('MCP connection closed with an error', { error: String(err) });
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }
}
