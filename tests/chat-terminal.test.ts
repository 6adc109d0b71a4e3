// `npm run chat` in a real pseudo-terminal (tmux), against a running `npm start`, as a
// new user would use them: the owner talks, a contact talks (/as), /status and /reset
// name the contact, the assistant goes away and comes back (one "reconnecting…" line; a
// message typed meanwhile is kept and answered), /quit. The screen must show no logs,
// warnings or stack traces, and never a doubled prompt.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { assistantEnvironment, startNpmStart } from './support/assistant-process.ts';
import type { RunningProcess } from './support/processes.ts';
import { lastUserTexts, say } from './support/scripted-claude.ts';

const session = `jobs-chat-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
/** Everything the terminal showed, scrollback included, with wrapped lines joined. */
const screen = () => tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-2000').stdout;
const type = (text: string) => {
  tmux('send-keys', '-t', session, '-l', text);
  tmux('send-keys', '-t', session, 'Enter');
};
async function see(text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!screen().includes(text)) {
    if (Date.now() > deadline) throw new Error(`The chat never showed "${text}". Screen:\n${screen()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const REPLIES: Record<string, string> = {
  'How are you?': 'Fine, thank you.',
  'Hello from Alice': 'Hello Alice, nice to meet you.',
  'Are you back?': 'Yes, I am back.',
};

describe('npm run chat in a terminal, against npm start', () => {
  let env: Awaited<ReturnType<typeof assistantEnvironment>>;
  let assistant: RunningProcess;

  beforeAll(async () => {
    env = await assistantEnvironment('chat_pty');
    env.claude.script = (request) => say(REPLIES[lastUserTexts(request).at(-1) ?? ''] ?? 'OK');
    assistant = startNpmStart(env.env);
    await assistant.waitFor('Jobs is running');

    // The chat runs with exactly the assistant's settings, as from the same `.env`.
    const script = join(REPO_ROOT, 'tests', '.tmp', `${session}.sh`);
    const exports = Object.entries({ ...env.env, PATH: process.env.PATH!, HOME: process.env.HOME! })
      .map(([k, v]) => `export ${k}='${v.replaceAll("'", "'\\''")}'`)
      .join('\n');
    writeFileSync(script, `${exports}\ncd '${REPO_ROOT}'\nnpm run chat\necho "[chat exited $?]"\nsleep 600\n`);
    const started = tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', `bash ${script}`);
    expect(started.status, started.stderr).toBe(0);
  });

  afterAll(async () => {
    tmux('kill-session', '-t', session);
    await assistant?.stop();
    await env?.drop();
  });

  it('shows the conversation only, and comes back by itself after the assistant restarts', async () => {
    await see('You are the owner.');
    type('How are you?');
    await see('[assistant → Owner] Fine, thank you.');

    type('/as 1001 Alice @alice');
    await see('Now talking as Alice (id 1001).');
    type('Hello from Alice');
    await see('[assistant → Alice] Hello Alice, nice to meet you.');

    type('/as owner');
    type('/status');
    await see('Running now:');
    await see('Alice (@alice)');
    type('/reset @alice');
    await see('[assistant → Owner] Done: the conversation with Alice (@alice) starts fresh.');

    // The assistant stops (Ctrl-C) and starts again (the restart has nothing to migrate).
    await assistant.stop();
    await see('reconnecting…');
    type('Are you back?');
    await see('(kept: it is sent when Jobs is reachable again)');
    assistant = startNpmStart(env.env);
    await assistant.waitFor('Jobs is running');
    await see('Reconnected.');
    await see('[assistant → Owner] Yes, I am back.');

    type('/quit');
    await see('[chat exited 0]');

    const transcript = screen();
    // Kept for a person to read: what a new user saw.
    writeFileSync(join(REPO_ROOT, 'tests', '.tmp', 'chat-transcript.txt'), transcript);
    expect(transcript).not.toMatch(/\b(WARN|ERROR|INFO|DEBUG)\b/);
    expect(transcript).not.toMatch(/^\s+at /m);
    expect(transcript).not.toMatch(/(Owner|Alice)> (Owner|Alice)>/);
    expect(transcript.match(/reconnecting…/g)).toHaveLength(1);
    // Every answer arrived once.
    for (const reply of Object.values(REPLIES)) expect(transcript.split(reply)).toHaveLength(2);
  });
});
