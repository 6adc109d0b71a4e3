// Reaching Temporal: an existing cluster (TEMPORAL_ADDRESS), or the embedded dev
// server from the pinned Temporal CLI, with its state in a file so workflows survive
// a restart.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { delimiter, join, resolve } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
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

/** Closed runs in these namespaces are deleted `hours` after they close (at least 1: the server's minimum). */
export async function setRetention(connection: Connection, namespaces: string[], hours: number): Promise<void> {
  for (const namespace of namespaces) {
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: msToTs(`${hours} hours`) },
    });
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
  /**
   * How long closed runs (continued-as-new sessions, finished negotiations) stay in the
   * store before the server deletes them; the dev server's own default is 24 hours, and it
   * has no start option for it, so it is set on the namespace once the server is up.
   */
  retentionHours?: number;
  /** `--dynamic-config-value KEY=VALUE` pairs (benchmarks shorten the deletion's jitter). */
  dynamicConfig?: Record<string, string>;
}

/** The SQLite file that holds the embedded server's state. */
export function embeddedTemporalDbFile(dataDir: string): string {
  return join(resolve(dataDir), 'temporal.sqlite');
}

export async function startEmbeddedTemporal(opts: EmbeddedTemporalOptions): Promise<EmbeddedTemporal> {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // The CLI picks its HTTP API port itself before it binds the gRPC one, and can pick the
  // gRPC port we just chose ("address already in use"): we choose it, away from both.
  const httpPort = await freePortOtherThan([opts.port, opts.uiPort]);
  const args = [
    'server',
    'start-dev',
    ...(opts.persist === false ? [] : ['--db-filename', embeddedTemporalDbFile(dataDir)]),
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
    '--http-port',
    String(httpPort),
    '--namespace',
    opts.namespace,
    '--log-level',
    'error',
    ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
    ...Object.entries(opts.dynamicConfig ?? {}).flatMap(([key, value]) => [
      '--dynamic-config-value',
      `${key}=${value}`,
    ]),
  ];
  const child: ChildProcess = spawn(opts.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const address = `127.0.0.1:${opts.port}`;
  const ready = connectTemporal(address, 30000).then(async (connection) => {
    try {
      if (opts.retentionHours !== undefined) {
        await setRetention(connection, [...new Set(['default', opts.namespace])], opts.retentionHours);
      }
    } finally {
      await connection.close();
    }
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  let outcome: 'ready' | 'exited';
  try {
    outcome = await Promise.race([ready.then(() => 'ready' as const), exited.then(() => 'exited' as const)]);
  } catch (err) {
    // Up but unusable (not reachable in time, or the retention refused): leave no server behind.
    await stop();
    throw err instanceof TemporalUnavailable
      ? err
      : new TemporalUnavailable(`The embedded Temporal server could not be set up: ${(err as Error).message}`);
  }
  if (outcome === 'exited') {
    throw new TemporalUnavailable(
      `The embedded Temporal server did not start (is port ${opts.port} or ${opts.uiPort} in use?): ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  return {
    address,
    uiUrl: `http://localhost:${opts.uiPort}`,
    stop,
  };
}

/** A port the OS says is free now, other than the ones given. */
async function freePortOtherThan(taken: number[]): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    if (!taken.includes(port)) return port;
  }
}
