// One call of an MCP tool for the owner, at most once per tool call id: the call is
// recorded before it starts and its result after, so an activity retried after a crash
// returns the recorded result, or says the call was interrupted, instead of running the
// tool again (a tool may have side effects). Progress the server reports keeps the call
// (and the activity's heartbeat) alive; a server's error answer is a tool error, and the
// connection stays up unless the transport itself broke.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ExecuteToolInput, ExecuteToolResult } from '../../contracts/session.ts';
import type { Db } from '../../infra/db.ts';
import { log } from '../../infra/logger.ts';
import { describeError, ServerUnavailable } from './connections.ts';
import type { McpConnections } from './connections.ts';
import { resolveMcpTool } from './mcp-tools.ts';
import { toModelContent } from './tool-results.ts';

export interface McpCallDeps {
  db: Db;
  mcp: McpConnections;
  dataDir: string;
  maxChars: number;
  /** The hard limit of one call (for the owner's message). */
  maxCallMs: number;
  /** Called while the call runs and on each progress report (the activity heartbeats). */
  alive(progress?: string): void;
  signal?: AbortSignal;
}

const ALIVE_EVERY_MS = 5_000;

export async function callMcpTool(deps: McpCallDeps, call: ExecuteToolInput): Promise<ExecuteToolResult> {
  // Alive from the start: waiting for a (re)connecting server counts as work too.
  const ticker = setInterval(() => deps.alive(), ALIVE_EVERY_MS);
  try {
    return await callOnce(deps, call);
  } finally {
    clearInterval(ticker);
  }
}

async function callOnce(deps: McpCallDeps, call: ExecuteToolInput): Promise<ExecuteToolResult> {
  const { db, mcp } = deps;
  const callId = `${call.sessionId}/${call.toolUseId}`;
  const earlier = await db.mcpToolCall.findUnique({ where: { callId } });
  if (earlier?.finishedAt) return earlier.result as unknown as ExecuteToolResult;
  if (earlier) return finish(db, callId, interrupted(earlier.tool, earlier.server));

  const target = await resolveMcpTool(db, mcp, call.name);
  if ('missing' in target) return { content: target.missing, isError: true };
  const { server, tool } = target;
  try {
    await db.mcpToolCall.create({ data: { callId, server: server.name, tool } });
  } catch {
    // Another attempt of the same call got there first (a retry racing a slow first attempt).
    return { content: interrupted(tool, server.name).content, isError: true };
  }

  try {
    const result = await mcp.callTool(server, tool, call.input, {
      signal: deps.signal,
      onprogress: (p) => deps.alive(`${p.progress}${p.total ? `/${p.total}` : ''}${p.message ? ` ${p.message}` : ''}`),
    });
    const outcome = await toModelContent(result, {
      server: server.name,
      tool,
      dataDir: deps.dataDir,
      telegramId: call.telegramId,
      callId,
      maxChars: deps.maxChars,
    });
    return await finish(db, callId, outcome);
  } catch (err) {
    const reason = failureReason(err, deps.maxCallMs);
    log.warn('MCP tool call failed', { server: server.name, tool, reason });
    return finish(db, callId, { content: `The MCP server "${server.name}" ${reason}.`, isError: true });
  }
}

async function finish(db: Db, callId: string, result: ExecuteToolResult): Promise<ExecuteToolResult> {
  await db.mcpToolCall.update({
    where: { callId },
    data: { finishedAt: new Date(), result: result as unknown as object },
  });
  return result;
}

function interrupted(tool: string, server: string): ExecuteToolResult {
  return {
    content: `The call of "${tool}" on the MCP server "${server}" was interrupted (the assistant restarted while it ran). It was not repeated, because it may already have taken effect: check before calling it again.`,
    isError: true,
  };
}

/** What went wrong, in words for the model and the owner: never a stack trace. */
function failureReason(err: unknown, maxCallMs: number): string {
  if (err instanceof ServerUnavailable) return `is not answering (${err.reason})`;
  if (err instanceof McpError) {
    if (err.code === ErrorCode.RequestTimeout) {
      const overall = /maximum total timeout/i.test(err.message);
      return overall
        ? `did not finish within the limit of ${Math.round(maxCallMs / 1000)} s for one call (MCP_TOOL_MAX_MS)`
        : `did not answer in time, and reported no progress (${describeError(err)})`;
    }
    if (err.code === ErrorCode.ConnectionClosed) return `is not running or crashed during the call`;
    return `answered with an error: ${describeError(err).replace(/^(MCP error -?\d+: )+/, '')} (code ${err.code})`;
  }
  const message = describeError(err);
  return /closed|EPIPE|ECONNREFUSED|ECONNRESET|exited|spawn|fetch failed/i.test(message)
    ? `is not running or crashed (${message})`
    : `could not complete the call (${message})`;
}
