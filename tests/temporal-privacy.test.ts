// What the Temporal server keeps of a real run: read as an operator without the key
// would (the `temporal` CLI, no codec), the history of every workflow holds none of the
// owner's message text, a negotiation's brief, the owner's private notes, or an MCP
// secret. Read through the codec server (the CLI's --codec-endpoint, as the Web UI does)
// the same history shows the text, brief and notes; the secret typed for an MCP server
// stays out of every tool call, tool input and later model request.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startCodecServer } from '../infra/codec-server.ts';
import { AesGcmPayloadCodec } from '../infra/payload-codec.ts';
import { loadPayloadKeyring } from '../infra/payload-keys.ts';
import { SECRET_PLACEHOLDER } from '../activities/secrets/tool-secrets.ts';
import { endsWithToolResult, isOwnerRequest, negotiationWorld } from './support/negotiation-world.ts';
import { lastUserTexts, useTool } from './support/scripted-claude.ts';
import type { RecordedRequest } from './support/scripted-claude.ts';
import { createTestStack } from './support/stack.ts';
import type { TestStack } from './support/stack.ts';
import { waitUntil } from './support/wait.ts';

const MESSAGE = 'My dentist appointment moved, keep it between us zq7';
const BRIEF = 'Agree on a 30-minute call about the flat sale xk4.';
const NOTES = 'Owner is wary of Hana after the loan pq9';
const SECRET = 'sk-weather-7f3a9c2e51d04b8a';
const ADD_SERVER = `add my weather server with token ${SECRET}`;

let stack: TestStack;
const starts = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  stack = await createTestStack({ OWNER_TIMEZONE: 'Europe/Moscow' });
  const world = negotiationWorld({ starts });
  stack.claude.script = (request: RecordedRequest) => {
    if (isOwnerRequest(request) && !endsWithToolResult(request) && lastUserTexts(request).at(-1) === ADD_SERVER) {
      return useTool('mcp_add_server', {
        name: 'weather',
        transport: 'http',
        // Nothing listens there: the server is stored, and reported as not answering yet.
        url: 'http://127.0.0.1:9/mcp',
        headers: { Authorization: `Bearer ${SECRET}` },
      });
    }
    return world(request);
  };
});

afterAll(async () => {
  await stack?.teardown();
});

/** Every payload's data (base64 in the CLI's JSON) as text, and the JSON itself. */
function readable(historyJson: string): string {
  const texts: string[] = [historyJson];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata) texts.push(Buffer.from(o.data, 'base64').toString('utf8'));
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(historyJson));
  return texts.join('\n');
}

/** `temporal workflow show` as JSON; asynchronous, since the codec server it calls runs in this process. */
async function showHistory(workflowId: string, codec?: { url: string; token: string }): Promise<string> {
  const cli = await promisify(execFile)(
    inject('temporalCliPath'),
    [
      'workflow',
      'show',
      '--address',
      stack.env.address,
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      ...(codec ? ['--codec-endpoint', codec.url, '--codec-auth', `Bearer ${codec.token}`] : []),
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
  );
  expect(cli.stderr).toBe('');
  return cli.stdout;
}

it('keeps message text, briefs, private notes and MCP secrets out of what Temporal stores', async () => {
  const hana = stack.newContact('Hana');
  await stack.db.user.create({
    data: { telegramId: BigInt(hana.telegramId), firstName: 'Hana', username: hana.username },
  });
  const tomorrow = new Date(Date.now() + 86400_000).toISOString().slice(0, 10);
  starts.set('meet Hana', {
    user: `@${hana.username}`,
    type: 'meeting',
    brief: BRIEF,
    private_notes: NOTES,
    meeting: { duration_minutes: 30, windows: [{ start: `${tomorrow}T12:00`, end: `${tomorrow}T20:00` }] },
  });

  await stack.run(async () => {
    await stack.send(stack.owner, MESSAGE);
    await stack.telegram.waitForMessages(stack.owner.telegramId, 1);
    await stack.send(stack.owner, ADD_SERVER);
    await stack.telegram.waitForMessages(stack.owner.telegramId, 2);
    await stack.send(stack.owner, 'meet Hana');
    await stack.telegram.waitForMessages(hana.telegramId, 1);
    await stack.telegram.waitForMessages(stack.owner.telegramId, 3);
  });

  // The MCP server was configured with the real header: the tool got it from the database.
  const server = await stack.db.mcpServer.findUniqueOrThrow({ where: { name: 'weather' } });
  expect(server.headers).toEqual({ Authorization: `Bearer ${SECRET}` });
  // Every model request after the one that produced the tool call goes without the secret.
  const afterToolCall = stack.claude.requests.findIndex((r) =>
    JSON.stringify(r.body.messages).includes('"name":"mcp_add_server"'),
  );
  expect(afterToolCall).toBeGreaterThan(0);
  const later = stack.claude.requests.slice(afterToolCall);
  const ownerLater = later.filter(isOwnerRequest).map((r) => JSON.stringify(r.body.messages));
  expect(ownerLater.length).toBeGreaterThan(1);
  expect(ownerLater.every((messages) => messages.includes(SECRET_PLACEHOLDER))).toBe(true);
  expect(later.filter((r) => JSON.stringify(r.body).includes(SECRET))).toEqual([]);

  const workflowIds: string[] = [];
  await waitUntil(async () => {
    workflowIds.length = 0;
    for await (const wf of stack.env.client.workflow.list()) workflowIds.push(wf.workflowId);
    return workflowIds.some((id) => id.startsWith('negotiation-')) && workflowIds.length >= 3;
  }, 'the session and negotiation workflows are listed');

  const codecServer = await startCodecServer({
    codec: new AesGcmPayloadCodec(loadPayloadKeyring(stack.config)),
    port: 0,
    token: 'operator-token',
    allowedOrigins: [],
  });
  try {
    const raw = (await Promise.all(workflowIds.map(async (id) => readable(await showHistory(id))))).join('\n');
    for (const plain of [MESSAGE, BRIEF, NOTES, SECRET]) expect(raw).not.toContain(plain);

    const decodedById = new Map<string, string>();
    for (const id of workflowIds) {
      decodedById.set(id, await showHistory(id, { url: codecServer.url, token: 'operator-token' }));
    }
    const decoded = [...decodedById.values()].map(readable).join('\n');
    for (const plain of [MESSAGE, BRIEF, NOTES]) expect(decoded).toContain(plain);
    expect(decoded).toContain(SECRET_PLACEHOLDER);
    // The secret is only where the owner typed it (their message, encrypted, and the
    // one model call that read it): from the model's answer on, no event holds it.
    const ownerHistory = [...decodedById.entries()].find(([, h]) => readable(h).includes('mcp_add_server'))?.[1];
    const events = (JSON.parse(ownerHistory!) as { events: Array<Record<string, unknown>> }).events;
    const sealedAt = events.findIndex(
      (e) =>
        e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED' &&
        readable(JSON.stringify(e)).includes(SECRET_PLACEHOLDER),
    );
    expect(sealedAt).toBeGreaterThan(0);
    const holding = events.filter((e) => readable(JSON.stringify(e)).includes(SECRET));
    expect(holding.map((e) => e.eventType)).toEqual(
      expect.arrayContaining(['EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED']),
    );
    expect(events.slice(sealedAt).filter((e) => readable(JSON.stringify(e)).includes(SECRET))).toEqual([]);
    for (const [id, history] of decodedById) {
      if (history !== ownerHistory) expect(`${id}: ${readable(history).includes(SECRET)}`).toBe(`${id}: false`);
    }
  } finally {
    await codecServer.close();
  }
});
