// `npm start`'s entry point as a process of its own, on each supported Node.js: the
// project's (Node 24) and, as a smoke run of the lowest supported major, Node 22
// (JOBS_SMOKE_NODE, installed by `npm test`). It creates and migrates its database,
// starts the embedded Temporal server, answers one owner turn and takes the first step
// of a negotiation (the contact is written to).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiationWorld } from './support/negotiation-world.ts';
import { assistantEnvironment, connectTelegramSide, startAssistant } from './support/assistant-process.ts';
import type { TelegramSide } from './support/assistant-process.ts';
import type { RunningProcess } from './support/processes.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';

const smokeNode = process.env.JOBS_SMOKE_NODE;
const runtimes = [{ label: `the project's Node.js ${process.version}`, node: process.execPath, name: 'node_current' }];
if (smokeNode)
  runtimes.push({ label: 'Node.js 22 (smoke run of the lowest supported major)', node: smokeNode, name: 'node_22' });
else it.skip('Node.js 22 smoke run: no Node 22 binary given (JOBS_SMOKE_NODE; `npm test` installs one)', () => {});

describe.each(runtimes)('npm start on $label', ({ node, name }) => {
  const starts = new Map<string, Record<string, unknown>>();
  let env: Awaited<ReturnType<typeof assistantEnvironment>>;
  let assistant: RunningProcess;
  let telegram: TelegramSide;
  const owner = { telegramId: 900100200, firstName: 'Olga', username: 'olga' };

  beforeAll(async () => {
    env = await assistantEnvironment(name);
    const world = negotiationWorld({ starts });
    env.claude.script = (request) =>
      lastUserTexts(request).at(-1) === 'How are you?' ? say('Fine, thank you, Olga.') : world(request);
    assistant = startAssistant(node, env.env);
    await assistant.waitFor('Jobs is running');
    telegram = await connectTelegramSide(env.config);
  });

  afterAll(async () => {
    await telegram?.close();
    const code = await assistant?.stop();
    if (assistant) expect(code, assistant.output()).toBe(0);
    await env?.drop();
  });

  it('says which Node.js runs it, then that it is running', () => {
    const output = assistant.output();
    const version = output.match(/Node\.js (v\d+\.\d+\.\d+)/)?.[1];
    expect(version).toBeDefined();
    if (name === 'node_22') expect(version).toMatch(/^v22\./);
    else expect(version).toBe(process.version);
    expect(output.indexOf('Node.js')).toBeLessThan(output.indexOf('Jobs is running'));
    // A fresh database was created and migrated by the process itself.
    expect(output).toContain('Database ready');
  });

  it('answers one owner turn', async () => {
    await telegram.send(owner, 'How are you?');
    const [reply] = await telegram.telegram.waitForMessages(owner.telegramId, 1);
    expect(reply!.text).toBe('Fine, thank you, Olga.');
  });

  it('takes the first step of a negotiation: the contact is written to', async () => {
    const anna = { telegramId: 900100300, firstName: 'Anna', username: `anna_${name}` };
    await telegram.db.user.create({
      data: { telegramId: BigInt(anna.telegramId), firstName: 'Anna', username: anna.username, timeZone: 'UTC' },
    });
    const request = `Arrange a call with @${anna.username}`;
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    starts.set(request, {
      user: `@${anna.username}`,
      type: 'meeting',
      brief: 'Agree on a half-hour call about the offsite.',
      meeting: { duration_minutes: 30, windows: [{ start: `${day}T12:00`, end: `${day}T18:00` }] },
    });
    await telegram.send(owner, request);
    const [first] = await telegram.telegram.waitForMessages(anna.telegramId, 1);
    expect(first!.text).toContain('offsite');
    const negotiation = await telegram.db.negotiation.findFirstOrThrow({
      where: { contactId: BigInt(anna.telegramId) },
    });
    expect(negotiation.status).toBe('in_progress');
  });
});
