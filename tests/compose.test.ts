// docker-compose.yml is valid (Debian's docker-compose parses and validates it without
// an engine) and speaks the same variables as the README and `.env.example`.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';

function composeConfig(env: Record<string, string>) {
  const result = spawnSync('docker-compose', ['-f', join(REPO_ROOT, 'docker-compose.yml'), 'config', '-q'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  if (result.error)
    throw new Error(`docker-compose is not installed (apt-get install docker-compose): ${result.error.message}`);
  return result;
}

describe('docker-compose.yml', () => {
  it('validates with the required variables set', () => {
    const result = composeConfig({ OWNER_TELEGRAM_ID: '42', ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to start without the owner id, saying which variable is missing', () => {
    const result = composeConfig({ ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('set OWNER_TELEGRAM_ID');
  });

  it('passes the app only variables documented in .env.example', () => {
    const compose = readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8');
    const appEnv = compose.slice(compose.indexOf('x-app-env'), compose.indexOf('services:'));
    const names = [...appEnv.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]);
    const documented = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
    expect(names.length).toBeGreaterThan(8);
    for (const name of names) expect(documented).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});
