// Child processes for tests and benchmarks that run the real commands (`npm start`,
// `npm run chat`, the entry points): output captured, waits on what they print, and Ctrl-C
// for the whole process group. No vitest here: benchmarks use it too.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/paths.ts';

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Every variable `.env.example` documents, set to empty: a developer's own `.env` (which the
 * commands read too, the environment winning) must not reach a test or benchmark.
 */
export function blankDocumentedVariables(): Record<string, string> {
  return Object.fromEntries(
    [...readFileSync(join(REPO_ROOT, '.env.example'), 'utf8').matchAll(/^([A-Z_]+)=/gm)].map((m) => [m[1]!, '']),
  );
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves when `text` appears in the output; rejects if the process exits first. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Ctrl-C, then waits for the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns a command in the repository with only the given environment (plus PATH and HOME),
 * in a process group of its own: stop() is Ctrl-C for all of it (npm, bash, node).
 */
export function startProcess(command: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    listeners.forEach((l) => l());
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('exit', () => listeners.forEach((l) => l()));
  return {
    child,
    output: () => output,
    waitFor(text, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const found = () => (typeof text === 'string' ? output.includes(text) : text.test(output));
        const timer = setTimeout(
          () => done(new Error(`not seen within ${timeoutMs} ms: ${text}\n${output}`)),
          timeoutMs,
        );
        const check = () => {
          if (found()) done();
          else if (child.exitCode !== null || child.signalCode !== null)
            done(new Error(`exited (${child.exitCode ?? child.signalCode}) before ${text}:\n${output}`));
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      const group = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // Already gone.
        }
      };
      if (child.exitCode === null && child.signalCode === null) group('SIGINT');
      const timer = setTimeout(() => group('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
