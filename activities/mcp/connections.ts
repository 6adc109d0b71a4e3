// Connections to the owner's external MCP servers (stdio or Streamable HTTP), kept open
// and reused by the activities of this worker. Connecting and listing tools happen in
// the background: an owner turn takes the tools of the servers that are ready and never
// waits on one that is connecting or failing. A server that fails to connect or list is
// marked unhealthy and tried again with backoff. A connection is keyed by the server's
// config version (its updatedAt), so an edited server gets a fresh one. Errors a server
// returns (JSON-RPC errors) are answers, not reasons to drop the connection; only a
// closed transport is. HTTP sessions are ended (DELETE) when a server goes away.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ListRootsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { pathToFileURL } from 'node:url';
import { log } from '../../infra/logger.ts';
import { ServerLog } from './server-log.ts';

export interface McpServerConfig {
  id: string;
  name: string;
  transport: 'stdio' | 'http';
  command: string | null;
  args: string[];
  env: Record<string, string>;
  url: string | null;
  headers: Record<string, string>;
  /** Folders (or file: URIs) the server may work in, announced as MCP roots. */
  roots: string[];
  /** This server's limit for one request without progress; the deployment's default when null. */
  timeoutMs: number | null;
  updatedAt: Date;
}

export type ServerHealth =
  | { state: 'connecting' }
  | { state: 'ready'; tools: Tool[] }
  | { state: 'failed'; error: string; retryInMs: number }
  | { state: 'unknown' };

interface Entry {
  version: number;
  client: Client;
  transport: StdioClientTransport | StreamableHTTPClientTransport;
  /** Settles when the attempt is over: connected and listed, or failed. */
  attempt: Promise<void>;
  state: 'connecting' | 'ready' | 'failed';
  error?: string;
  failures: number;
  retryAt: number;
  tools: Tool[];
  listedAt: number;
  relisting?: Promise<void>;
}

export interface McpLimits {
  /** One request without any progress (connect, list, call). */
  timeoutMs: number;
  /** One tool call at most, however much progress it reports. */
  maxCallMs: number;
}

const TOOL_LIST_TTL_MS = 60_000;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 5 * 60_000;
const MAX_TOOL_PAGES = 20;
const TERMINATE_WAIT_MS = 3_000;
/** The longest the owner's own action waits for a server; past it the server goes on connecting in the background. */
const MAX_SETTLE_MS = 30_000;
const MIN_CONNECT_MS = 15_000;

export class McpConnections {
  private readonly entries = new Map<string, Entry>();
  /** Kept beyond a connection's life, so a crash's last words can still be read. */
  private readonly logs = new Map<string, ServerLog>();

  constructor(private readonly limits: McpLimits) {}

  private timeoutOf(server: McpServerConfig): number {
    return server.timeoutMs ?? this.limits.timeoutMs;
  }

  /** Starting a server (a process, perhaps `npx` fetching it) takes longer than answering a request. */
  private connectTimeoutOf(server: McpServerConfig): number {
    return Math.max(this.timeoutOf(server), MIN_CONNECT_MS);
  }

  logOf(serverId: string): ServerLog {
    let serverLog = this.logs.get(serverId);
    if (!serverLog) this.logs.set(serverId, (serverLog = new ServerLog()));
    return serverLog;
  }

  /**
   * Brings the connections in line with the enabled servers without waiting: new or
   * edited ones start connecting, failed ones past their backoff try again, stale tool
   * lists are refreshed, and servers no longer enabled are closed.
   */
  refresh(enabled: McpServerConfig[]): void {
    const ids = new Set(enabled.map((s) => s.id));
    for (const id of this.entries.keys()) if (!ids.has(id)) void this.close(id);
    for (const server of enabled) this.ensure(server);
  }

  /** Starts what this server needs (connect, retry or relist) and returns its entry; never waits. */
  private ensure(server: McpServerConfig): Entry {
    const entry = this.entries.get(server.id);
    if (!entry || entry.version !== server.updatedAt.getTime()) {
      if (entry) void this.close(server.id);
      return this.start(server, 0);
    }
    if (entry.state === 'failed' && Date.now() >= entry.retryAt) {
      void this.disconnect(entry);
      return this.start(server, entry.failures);
    }
    if (entry.state === 'ready' && !entry.relisting && Date.now() - entry.listedAt > TOOL_LIST_TTL_MS) {
      entry.relisting = this.list(server, entry).finally(() => (entry.relisting = undefined));
    }
    return entry;
  }

  private start(server: McpServerConfig, failures: number): Entry {
    const serverLog = this.logOf(server.id);
    // Roots: servers that support them learn which folders the owner gave them.
    const client = new Client({ name: 'jobs', version: '0.1.0' }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({
      roots: server.roots.map((root) => ({ uri: rootUri(root), name: root })),
    }));
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
    if (transport instanceof StdioClientTransport) serverLog.follow(transport.stderr);

    const entry: Entry = {
      version: server.updatedAt.getTime(),
      client,
      transport,
      attempt: Promise.resolve(),
      state: 'connecting',
      failures,
      retryAt: 0,
      tools: [],
      listedAt: 0,
    };
    this.entries.set(server.id, entry);
    // A server that exits or drops the connection is unhealthy; the next need reconnects.
    client.onclose = () => {
      if (this.entries.get(server.id) !== entry || entry.state === 'failed') return;
      serverLog.note('connection closed');
      this.fail(entry, 'the connection closed (the server stopped or crashed)', 0);
    };
    // A server that changes its tools (some register theirs after the handshake) is listed again.
    client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      await entry.attempt;
      await entry.relisting;
      if (entry.state !== 'ready' || this.entries.get(server.id) !== entry) return;
      entry.relisting = this.list(server, entry).finally(() => (entry.relisting = undefined));
    });
    entry.attempt = (async () => {
      try {
        await client.connect(transport, { timeout: this.connectTimeoutOf(server) });
        await this.list(server, entry, true);
        entry.state = 'ready';
        entry.failures = 0;
        serverLog.note(`connected, ${entry.tools.length} tool(s)`);
      } catch (err) {
        // Closed on purpose while connecting (edited, removed): not a failure of the server.
        if (this.entries.get(server.id) !== entry) return void (await this.disconnect(entry));
        const error = describeError(err);
        serverLog.note(`connection failed: ${error}`);
        log.warn('MCP server unavailable; its tools are left out', { server: server.name, error });
        this.fail(entry, error, backoff(failures + 1));
        await this.disconnect(entry);
      }
    })();
    return entry;
  }

  private fail(entry: Entry, error: string, retryInMs: number): void {
    entry.state = 'failed';
    entry.error = error;
    entry.failures += 1;
    entry.retryAt = Date.now() + retryInMs;
  }

  /** Lists the server's tools (all pages); a failure makes the server unhealthy unless it is the first attempt's. */
  private async list(server: McpServerConfig, entry: Entry, first = false): Promise<void> {
    try {
      const tools: Tool[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_TOOL_PAGES; page++) {
        const result = await entry.client.listTools(cursor ? { cursor } : undefined, {
          timeout: this.timeoutOf(server),
        });
        tools.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      entry.tools = tools;
      entry.listedAt = Date.now();
    } catch (err) {
      if (first) throw err;
      this.logOf(server.id).note(`listing tools failed: ${describeError(err)}`);
      this.fail(entry, `listing its tools failed: ${describeError(err)}`, backoff(entry.failures + 1));
      await this.disconnect(entry);
    }
  }

  /** The server's health as this worker sees it now; starts what is needed, never waits. */
  health(server: McpServerConfig): ServerHealth {
    const entry = this.ensure(server);
    if (entry.state === 'ready') return { state: 'ready', tools: entry.tools };
    if (entry.state === 'failed') {
      return { state: 'failed', error: entry.error ?? 'unknown', retryInMs: Math.max(0, entry.retryAt - Date.now()) };
    }
    return { state: 'connecting' };
  }

  /**
   * Waits for the server's current attempt (bounded by its timeouts): for the owner's
   * own actions on a server (adding, enabling, calling one of its tools).
   */
  async settle(server: McpServerConfig): Promise<ServerHealth> {
    const deadline = Date.now() + Math.min(this.connectTimeoutOf(server) + this.timeoutOf(server), MAX_SETTLE_MS);
    let entry = this.ensure(server);
    await within(deadline, Promise.all([entry.attempt, entry.relisting]));
    // A connection that dropped since (a crash) is tried once more at once.
    if (entry.state === 'failed' && Date.now() >= entry.retryAt) {
      entry = this.ensure(server);
      await within(deadline, entry.attempt);
    }
    return this.health(server);
  }

  /** Calls a tool on a ready server; a server's own error answers come back as thrown McpErrors. */
  async callTool(
    server: McpServerConfig,
    name: string,
    args: Record<string, unknown>,
    options: Pick<RequestOptions, 'onprogress' | 'signal'> = {},
  ): Promise<CallToolResult> {
    const health = await this.settle(server);
    if (health.state !== 'ready') {
      throw new ServerUnavailable(health.state === 'failed' ? health.error : 'it is still connecting');
    }
    const entry = this.entries.get(server.id)!;
    return (await entry.client.callTool({ name, arguments: args }, undefined, {
      ...options,
      timeout: this.timeoutOf(server),
      // A tool that reports progress may take longer, up to the hard limit.
      resetTimeoutOnProgress: true,
      maxTotalTimeout: this.limits.maxCallMs,
    })) as CallToolResult;
  }

  /** Closes the connection: an HTTP session is ended on the server (DELETE), a stdio child stopped. */
  async close(id: string): Promise<void> {
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry) await this.disconnect(entry);
  }

  private async disconnect(entry: Entry): Promise<void> {
    try {
      if (entry.transport instanceof StreamableHTTPClientTransport && entry.transport.sessionId) {
        // A server that does not answer must not hold up a removal or a shutdown.
        await Promise.race([
          entry.transport.terminateSession(),
          new Promise((resolve) => setTimeout(resolve, TERMINATE_WAIT_MS).unref()),
        ]);
      }
    } catch (err) {
      log.debug('MCP session could not be ended', { error: describeError(err) });
    }
    try {
      await entry.client.close();
    } catch (err) {
      log.debug('MCP connection closed with an error', { error: describeError(err) });
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.close(id)));
  }
}

/** The server is not connected (connecting, or failing and waiting to be tried again). */
export class ServerUnavailable extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ServerUnavailable';
  }
}

/** Waits for `work`, or until `deadline`, whichever comes first (the work goes on). */
async function within(deadline: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work,
    new Promise((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
  ]).finally(() => clearTimeout(timer));
}

function backoff(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

function rootUri(root: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(root) ? root : pathToFileURL(root).href;
}

/** One line for the owner and the log: never a stack trace. */
export function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}
