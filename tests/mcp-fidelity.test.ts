// MCP servers at full fidelity, through the owner's session with the scripted Messages
// API, against real servers: the reference `server-everything` from npm (over stdio and
// over Streamable HTTP, started here) and the project's own test server for the edge
// cases. Names that collide, a server that never answers, images and links, progress
// over long calls, a call never run twice, JSON-RPC errors, sessions ended, no child left.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { resetUpdate, sessionWorkflowId } from '../contracts/session.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { Replies } from '../workflows/replies.ts';
import { lastUserTexts, say, toolResults } from './support/scripted-claude.ts';
import type { RecordedRequest, ScriptedBlock } from './support/scripted-claude.ts';
import { createIsolatedDatabase } from './support/isolated-database.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const EDGE_SERVER = join(REPO_ROOT, 'tests', 'fixtures', 'mcp-test-server.ts');
const EVERYTHING = join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const tmp = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'mcp-fidelity-'));
const COUNT_FILE = join(tmp, 'slow-runs.txt');
const ROOT_DIR = mkdtempSync(join(tmp, 'root-'));

let stack: TestStack;
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
/** A Streamable HTTP endpoint that takes requests and never answers them. */
let stuck: Server;
const stuckRequests: IncomingMessage[] = [];
let everythingHttp: ChildProcess;
let everythingHttpUrl = '';
let everythingHttpOutput = '';
/** What the owner's model does for a given owner message: one or several tool calls. */
const intents = new Map<string, ScriptedBlock[]>();

beforeAll(async () => {
  writeFileSync(COUNT_FILE, '');
  stuck = createServer((req) => void stuckRequests.push(req));
  await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', r));

  // server-everything over Streamable HTTP, as its README starts it, on a free port.
  const port = await freePort();
  everythingHttp = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  everythingHttp.stdout!.on('data', (d) => (everythingHttpOutput += String(d)));
  everythingHttp.stderr!.on('data', (d) => (everythingHttpOutput += String(d)));
  await waitUntil(
    () => everythingHttpOutput.includes('listening on port'),
    'server-everything (HTTP) to listen',
    60_000,
  );
  everythingHttpUrl = `http://127.0.0.1:${port}/mcp`;

  database = await createIsolatedDatabase('mcpfidelity');
  // The numbers: a 10 s base timeout, under which a 45 s operation with progress completes.
  stack = await createTestStack({ MCP_TOOL_TIMEOUT_MS: '10000', DATABASE_URL: database.url });
  stack.claude.script = (req) => {
    const last = req.body.messages.at(-1) as { content: Array<{ type: string }> };
    if (last.content.some((b) => b.type === 'tool_result')) {
      return say(`result: ${describeResults(toolResults(req).slice(-lastResultCount(req)))}`);
    }
    const intent = intents.get(lastUserTexts(req).at(-1) ?? '');
    return intent ? { content: intent } : say('ok');
  };
}, 180_000);

afterAll(async () => {
  await stack?.teardown();
  await database?.drop();
  everythingHttp?.kill();
  stuck?.closeAllConnections();
  await new Promise<void>((r) => (stuck ? stuck.close(() => r()) : r()));
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

function lastResultCount(req: RecordedRequest): number {
  return (req.body.messages.at(-1) as { content: unknown[] }).content.length;
}

/** Tool results as the model got them: texts, and images named by their type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function describeResults(results: any[]): string {
  return results
    .map((r) =>
      typeof r.content === 'string'
        ? r.content
        : // eslint-disable-next-line @typescript-eslint/no-explicit-any
          r.content.map((p: any) => (p.type === 'text' ? p.text : `<image ${p.source.media_type}>`)).join('\n'),
    )
    .join('\n---\n');
}

function isOwner(req: RecordedRequest) {
  return (req.body.system[0].text as string).includes('You are Jobs');
}

function ownerRequests(): RecordedRequest[] {
  return stack.claude.requests.filter(isOwner);
}

/** The owner writes `text`, meaning the given tool call(s); resolves with the assistant's reply. */
async function ownerAsks(text: string, ...calls: ScriptedBlock[]): Promise<string> {
  const message = `${text} #${randomUUID().slice(0, 6)}`;
  if (calls.length) intents.set(message, calls);
  // Each ask in a fresh context (the owner's /reset): earlier tool output is others' words,
  // and with them in context the privilege policy would ask the owner to confirm outward calls.
  await stack.env.client.workflow
    .getHandle(sessionWorkflowId(stack.owner.telegramId))
    .executeUpdate(resetUpdate)
    .catch(() => undefined);
  const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
  await stack.send(stack.owner, message);
  // "Still working" notes may come first; the answer is the first other message of the turn.
  const answer = () =>
    stack.telegram
      .messagesTo(stack.owner.telegramId)
      .slice(since)
      .find((m) => m.text !== Replies.stillWorking);
  await waitUntil(() => answer() !== undefined, `an answer to "${text}"`, 240_000);
  return answer()!.text;
}

const tool = (name: string, input: Record<string, unknown> = {}, id?: string): ScriptedBlock => ({
  type: 'tool_use',
  name,
  input,
  ...(id ? { id } : {}),
});

/** The name the owner's model was offered for a server's tool (looked up by its description). */
function offeredName(server: string, toolName: string): string {
  const tools = (ownerRequests().at(-1)!.body.tools ?? []) as Array<{ name: string; description: string }>;
  const found = tools.find((t) =>
    t.description.startsWith(`[External tool "${toolName}" from MCP server "${server}"]`),
  );
  if (!found) throw new Error(`no offered tool ${server}/${toolName}`);
  return found.name;
}

const addEdge = tool('mcp_add_server', {
  name: 'edge',
  transport: 'stdio',
  command: process.execPath,
  args: ['--import', 'tsx', EDGE_SERVER],
  env: { TEST_SERVER_EXTRAS: '1', COUNT_FILE, SLOW_MS: '70000', TEST_API_KEY: 'sk-edge-secret-987654' },
  // This server's own limit: a 70 s tool without progress fits in it.
  timeoutSeconds: 90,
});
const addEverything = tool('mcp_add_server', {
  name: 'everything',
  transport: 'stdio',
  command: process.execPath,
  args: [EVERYTHING, 'stdio'],
  roots: [ROOT_DIR],
});

describe('MCP servers at full fidelity', () => {
  it('offers colliding and over-long tool names under unique valid names, each calling its own tool', async () => {
    await stack.run(async () => {
      expect(await ownerAsks('add edge', addEdge)).toMatch(/Added MCP server "edge" with 12 tool\(s\)/);
      // Its stderr is kept (bounded, secrets redacted) and shown on request.
      const listing = await ownerAsks('servers with logs', tool('mcp_list_servers', { logs: true }));
      expect(listing).toMatch(/- edge \(stdio: .*\) — healthy, 12 tool\(s\)/);
      expect(listing).toContain('edge server starting, key [redacted]');
      expect(listing).toContain('[jobs] connected, 12 tool(s)');
      expect(listing).not.toContain('sk-edge-secret-987654');
      await ownerAsks('hello');
      const names = ownerRequests()
        .at(-1)!
        .body.tools.map((t: { name: string }) => t.name) as string[];
      expect(new Set(names).size).toBe(names.length);
      for (const [toolName, answer] of [
        ['files.read', 'ran files.read'],
        ['files_read', 'ran files_read'],
        ['repository_collaborators_permission_check_for_user', 'ran user check'],
        ['repository_collaborators_permission_check_for_team', 'ran team check'],
      ]) {
        const name = offeredName('edge', toolName!);
        expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
        expect(await ownerAsks(`call ${toolName}`, tool(name))).toContain(answer);
      }
    });
    // Every request was valid for the Messages API (the stack's teardown fails otherwise),
    // including those that offered all four tools together.
  });

  it('answers a JSON-RPC error as a tool error, keeps the server running, and stops it with the worker', async () => {
    let pid = 0;
    await stack.run(async () => {
      await ownerAsks('add edge', addEdge);
      pid = Number(/pid (\d+)/.exec(await ownerAsks('pid?', tool('mcp__edge__pid')))![1]);
      expect(await ownerAsks('refuse', tool('mcp__edge__refuse'))).toMatch(
        /The MCP server "edge" answered with an error: this request is not acceptable here \(code -32600\)/,
      );
      expect(await ownerAsks('pid again?', tool('mcp__edge__pid'))).toContain(`pid ${pid}`);
    });
    // The worker has shut down: its stdio children with it.
    await waitUntil(() => !isRunning(pid), 'the MCP server process to end with the worker', 30_000);
  });

  it('never makes an owner turn wait on a server that does not answer', async () => {
    // Configured elsewhere (another worker, before a restart): its first connection hangs
    // for up to ten minutes. Turns that waited on it would never finish within this test.
    await stack.db.mcpServer.upsert({
      where: { name: 'stuck' },
      create: {
        name: 'stuck',
        transport: 'http',
        url: `http://127.0.0.1:${(stuck.address() as AddressInfo).port}/mcp`,
        timeoutMs: 600_000,
      },
      update: {},
    });
    await stack.run(async () => {
      await ownerAsks('add edge', addEdge);
      const before = ownerRequests().length;
      for (const text of ['one', 'two', 'three']) expect(await ownerAsks(text)).toBe('ok');
      // One Claude call per turn, the other servers' tools offered, the stuck one's absent.
      expect(ownerRequests().length - before).toBe(3);
      const offered = ownerRequests()
        .at(-1)!
        .body.tools.map((t: { name: string }) => t.name) as string[];
      expect(offered).toContain('mcp__edge__pid');
      expect(offered.some((n) => n.startsWith('mcp__stuck__'))).toBe(false);
      // It was tried in the background, once, and is still pending.
      expect(stuckRequests.length).toBe(1);
      expect(await ownerAsks('servers?', tool('mcp_list_servers'))).toMatch(/- stuck \(http: [^)]+\) — connecting/);
      // Called anyway (a model may): a clear answer after a bounded wait, not ten minutes.
      expect(await ownerAsks('use it', tool('mcp__stuck__anything'))).toContain(
        'The MCP server "stuck" is not answering (it is still connecting)',
      );
      expect(await ownerAsks('remove it', tool('mcp_remove_server', { name: 'stuck' }))).toContain(
        'Removed MCP server "stuck"',
      );
    });
  }, 240_000);

  it('passes images, resource links and roots from server-everything (stdio) to the model, and leaves task-only tools out', async () => {
    await stack.run(async () => {
      expect(await ownerAsks('add everything', addEverything)).toContain('Added MCP server "everything"');
      const image = await ownerAsks('tiny image', tool('mcp__everything__get-tiny-image'));
      expect(image).toMatch(/\[image \(image\/png, \d+ KB\) saved as \d+\/mcp\/[0-9a-f]+-2\.png\] — shown below/);
      expect(image).toContain('<image image/png>');
      // The request carried a real image block inside the tool_result.
      const sent = toolResults(ownerRequests().at(-1)!).at(-1);
      const block = sent.content.find((p: { type: string }) => p.type === 'image');
      expect(block.source.media_type).toBe('image/png');
      expect(Buffer.from(block.source.data, 'base64').subarray(1, 4).toString()).toBe('PNG');

      // The owner asks for the picture: it is sent once, from the owner's workspace, with its caption.
      const file = /saved as (\S+\.png)/.exec(image)![1]!;
      const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
      expect(
        await ownerAsks('send me that picture', tool('send_file_to_owner', { file, caption: 'The tiny image' })),
      ).toContain('is on its way to the owner');
      await waitUntil(
        () => stack.telegram.messagesTo(stack.owner.telegramId).some((m) => m.file?.path === file),
        'the picture to reach the owner',
      );
      const withFile = stack.telegram
        .messagesTo(stack.owner.telegramId)
        .slice(since)
        .filter((m) => m.file);
      expect(withFile.map((m) => [m.file, m.text])).toEqual([
        [{ path: file, fileName: file.split('/').at(-1), mimeType: 'image/png', content: '' }, 'The tiny image'],
      ]);
      // A file outside the owner's workspace is refused.
      expect(await ownerAsks('send passwd', tool('send_file_to_owner', { file: '../../../etc/passwd' }))).toContain(
        'Refused',
      );

      const links = await ownerAsks('links', tool('mcp__everything__get-resource-links', { count: 2 }));
      expect(links).toMatch(/\[link\] .+: demo:\/\/resource\/(static|dynamic)\/\S+/);
      expect(links).toMatch(/description: /);

      const roots = await ownerAsks('roots', tool('mcp__everything__get-roots-list'));
      expect(roots).toContain(pathToFileURL(ROOT_DIR).href);

      const listing = await ownerAsks('servers?', tool('mcp_list_servers', { logs: true }));
      expect(listing).toMatch(/left out: .*simulate-research-query: it runs only as a background task/);
      const offered = ownerRequests().at(-1)!.body.tools as Array<{ name: string }>;
      expect(offered.some((t) => t.name.includes('simulate-research-query'))).toBe(false);
    });
  });

  it('works with server-everything over Streamable HTTP, and ends its session when the server is removed', async () => {
    await stack.run(async () => {
      const added = await ownerAsks(
        'add http',
        tool('mcp_add_server', { name: 'remote', transport: 'http', url: everythingHttpUrl }),
      );
      expect(added).toContain('Added MCP server "remote"');
      expect(await ownerAsks('echo', tool('mcp__remote__echo', { message: 'over http' }))).toContain('over http');
      expect(await ownerAsks('image', tool('mcp__remote__get-tiny-image'))).toContain('<image image/png>');
      expect(everythingHttpOutput).not.toContain('Received session termination request');
      await ownerAsks('remove', tool('mcp_remove_server', { name: 'remote' }));
      await waitUntil(
        () => everythingHttpOutput.includes('Received session termination request'),
        'the HTTP session to be ended (DELETE)',
        30_000,
      );
    });
  });

  it('completes a 45 s operation that reports progress under a 10 s timeout, and runs a 70 s tool exactly once', async () => {
    const session = stack.env.client.workflow.getHandle(sessionWorkflowId(stack.owner.telegramId));
    await stack.run(async () => {
      await ownerAsks('add edge', addEdge);
      await ownerAsks('add everything', addEverything);
      const since = stack.telegram.messagesTo(stack.owner.telegramId).length;
      const reply = await ownerAsks(
        'both long things',
        tool('mcp__everything__trigger-long-running-operation', { duration: 45, steps: 9 }),
        tool('mcp__edge__slow_count', {}, 'toolu_slow_once'),
      );
      expect(reply).toContain('Long running operation completed. Duration: 45 seconds, Steps: 9.');
      expect(reply).toContain('slow work done');
      expect(readFileSync(COUNT_FILE, 'utf8').trim().split('\n')).toEqual(['started']);
      // The owner was told, once, that the tools were still at work.
      const sent = stack.telegram.messagesTo(stack.owner.telegramId).slice(since);
      expect(sent.filter((m) => m.text === Replies.stillWorking).length).toBeGreaterThanOrEqual(1);

      // An image in the history (a path, not bytes) and a file sent on to the owner.
      const image = await ownerAsks('tiny image', tool('mcp__everything__get-tiny-image'));
      const file = /saved as (\S+\.png)/.exec(image)![1]!;
      await ownerAsks('send it', tool('send_file_to_owner', { file }));
      await waitUntil(
        () => stack.telegram.messagesTo(stack.owner.telegramId).some((m) => m.file?.path === file),
        'the picture to reach the owner',
      );
    });
    // The patched path (long calls, "still working", file notices) replays on the current code.
    // (Not kept under tests/histories: this file's one owner session makes a 1.6 MB history.)
    const history = await session.fetchHistory();
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: stack.dataConverter },
      history,
      'mcp',
    );
  }, 400_000);

  it('never runs a tool call twice: a retry gets the recorded result, or hears the call was interrupted', async () => {
    // What a retried activity finds: the call recorded as finished, or as started only
    // (the worker died during it). Tool call ids are unique in a conversation, so these
    // are new ids with records made as the first attempt would have left them.
    const sessionId = `session-${stack.owner.telegramId}`;
    await stack.db.mcpToolCall.create({
      data: {
        callId: `${sessionId}/toolu_recorded`,
        server: 'edge',
        tool: 'slow_count',
        finishedAt: new Date(),
        result: { content: 'the recorded answer of the first attempt', isError: false },
      },
    });
    await stack.db.mcpToolCall.create({
      data: { callId: `${sessionId}/toolu_interrupted`, server: 'edge', tool: 'slow_count' },
    });
    const runsBefore = readFileSync(COUNT_FILE, 'utf8');
    await stack.run(async () => {
      await ownerAsks('add edge', addEdge);
      expect(await ownerAsks('slow', tool('mcp__edge__slow_count', {}, 'toolu_recorded'))).toBe(
        'result: the recorded answer of the first attempt',
      );
      expect(await ownerAsks('slow', tool('mcp__edge__slow_count', {}, 'toolu_interrupted'))).toContain(
        'was interrupted (the assistant restarted while it ran). It was not repeated',
      );
    });
    expect(readFileSync(COUNT_FILE, 'utf8')).toBe(runsBefore);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
