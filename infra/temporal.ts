// Reaching Temporal: an existing cluster (TEMPORAL_ADDRESS), or the embedded dev
// server from the pinned Temporal CLI, with its state in a file so workflows survive
// a restart.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { UserFacingError } from './errors.ts';
import { VENV_BIN } from './paths.ts';

export class TemporalUnavailable extends UserFacingError {}

/** The Temporal CLI: TEMPORAL_CLI_PATH, else the project's pinned install, else `temporal` on PATH. */
export function findTemporalCli(explicitPath?: string): string | undefined {
  if (explicitPath) return existsSync(explicitPath) ? explicitPath : undefined;
  const pinned = join(VENV_BIN, 'temporal');
  if (existsSync(pinned)) return pinned;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The time-skipping test server, for tests of days-long timers. */
export function findTemporalTestServer(): string | undefined {
  const explicit = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const pinned = join(VENV_BIN, 'temporal-test-server');
  return existsSync(pinned) ? pinned : undefined;
}

export async function connectTemporal(address: string, timeoutMs = 15000): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await Connection.connect({ address, connectTimeout: 2000 });
    } catch (err) {
      if (Date.now() > deadline) {
        throw new TemporalUnavailable(
          `Temporal is not reachable at ${address} (${(err as Error).message}). Start it, or unset TEMPORAL_ADDRESS to use the embedded dev server.`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

export interface EmbeddedTemporal {
  address: string;
  uiUrl: string;
  stop(): Promise<void>;
}

export interface EmbeddedTemporalOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** Keep state in DATA_DIR (the default); false runs in memory (benchmarks). */
  persist?: boolean;
  /** The codec server the Web UI decodes payloads with (infra/codec-server.ts). */
  uiCodecEndpoint?: string;
}

export async function startEmbeddedTemporal(opts: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    ...(opts.persist === false ? [] : ['--db-filename', join(dataDir, 'temporal.sqlite')]),
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--namespace',
    opts.namespace,
    '--log-level',
    'error',
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
  ];
  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const address = `127.0.0.1:${opts.port}`;
  const ready = connectTemporal(address, 30000).then((c) => c.close());
  const outcome = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const)]);
  if (outcome === 'exited') {
    throw new TemporalUnavailable(
      `The embedded Temporal server did not start (is port ${opts.port} or ${opts.uiPort} in use?): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
