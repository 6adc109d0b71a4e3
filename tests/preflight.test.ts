// The first hour of a new user: `npm start` checks the configuration before anything slow
// is installed, and `npm run chat` says in one line that the assistant is not running.
// Both run in a scratch copy of the scripts and shared modules with no node_modules, so
// the checks are shown to need no npm install (they run on Node's own type stripping, with
// zod alone beside them).
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';
import { freePort } from './support/processes.ts';

/**
 * A project copy with only what runs before the install (scripts/, infra/, pure/,
 * package.json) and a `.env`. The one package the check needs, zod, is where the setup
 * puts it before the install (.tools/preflight; linked here instead of fetched).
 */
function scratchProject(env: string): string {
  const root = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'preflight-'));
  for (const part of ['scripts', 'infra', 'pure', 'package.json', 'package-lock.json']) {
    cpSync(join(REPO_ROOT, part), join(root, part), { recursive: true });
  }
  mkdirSync(join(root, '.tools', 'preflight', 'node_modules'), { recursive: true });
  symlinkSync(join(REPO_ROOT, 'node_modules', 'zod'), join(root, '.tools', 'preflight', 'node_modules', 'zod'));
  writeFileSync(join(root, '.env'), env);
  return root;
}

/** Nothing slow was installed: no npm packages, no Node.js download, no Temporal CLI. */
function installedNothing(root: string) {
  expect(existsSync(join(root, 'node_modules'))).toBe(false);
  expect(readdirSync(join(root, '.tools'))).toEqual(['preflight']);
}

// The Node that runs the tests first on PATH: a supported one, so nothing is downloaded.
const PATH = `${dirname(process.execPath)}:${process.env.PATH}`;

function run(root: string, script: string, args: string[] = []) {
  return spawnSync('bash', [join('scripts', script), ...args], {
    cwd: root,
    env: { PATH, HOME: process.env.HOME },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('before anything is installed', () => {
  it('npm start refuses the copied .env.example, one sentence per problem, and installs nothing', () => {
    const root = scratchProject(readFileSync(join(REPO_ROOT, '.env.example'), 'utf8'));
    const result = run(root, 'start.sh');
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      [
        'Configuration problems:',
        '  - OWNER_TELEGRAM_ID is still the example value from .env.example (123456789): set your own Telegram user id (`npm run setup` finds it), or any other number if you only use `npm run chat`.',
        '  - ANTHROPIC_API_KEY is still a placeholder (like the "sk-ant-..." of .env.example): set it to your Anthropic API key (console.anthropic.com).',
        'See .env.example for every setting.',
      ].join('\n'),
    );
    installedNothing(root);
  });

  it('npm run chat says in one line that Jobs is not running and how to start it', async () => {
    const port = await freePort();
    const root = scratchProject(`OWNER_TELEGRAM_ID=42\nTEMPORAL_PORT=${port}\n`);
    const result = run(root, 'run.sh', ['--preflight', 'chat', 'echo', 'the simulator would start']);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      `Jobs is not running (nothing answers on 127.0.0.1:${port}): start it with \`npm start\` in another terminal, then run \`npm run chat\` again.\n`,
    );
    installedNothing(root);
  });

  it('npm run chat goes on when something answers where Jobs should be', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const root = scratchProject(`OWNER_TELEGRAM_ID=42\nTEMPORAL_PORT=${port}\n`);
      // Only the preflight is run here (the install would follow it).
      const child = spawn(
        process.execPath,
        ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', 'scripts/preflight.ts', 'chat'],
        { cwd: root, env: { PATH, HOME: process.env.HOME }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(stderr).toBe('');
      expect(code).toBe(0);
    } finally {
      server.close();
    }
  });
});
