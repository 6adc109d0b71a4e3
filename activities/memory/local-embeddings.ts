// The default embedding model, on this machine: scripts/local-embeddings-server.py (the
// Universal Sentence Encoder Multilingual, installed into .tools/embeddings by
// scripts/bootstrap.sh) started on a free 127.0.0.1 port the first time memory needs a
// vector, and spoken to like any OpenAI-compatible provider. One server per process; it
// exits with the process (it watches its stdin, which closes when the parent dies).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../infra/paths.ts';
import { EmbeddingError, HttpEmbeddings } from './embeddings.ts';
import type { EmbeddingProvider } from './embeddings.ts';

export const LOCAL_MODEL = 'use-multilingual-v3';
const START_TIMEOUT_MS = 60_000;

export const localModelPaths = {
  python: join(REPO_ROOT, '.tools', 'embeddings', 'bin', 'python'),
  server: join(REPO_ROOT, 'scripts', 'local-embeddings-server.py'),
};

export function localModelInstalled(): boolean {
  return existsSync(localModelPaths.python) && existsSync(localModelPaths.server);
}

export interface LocalModelServer {
  /** The OpenAI-compatible base URL, e.g. http://127.0.0.1:41234/v1. */
  baseUrl: string;
  stop(): void;
}

/** Starts the server and resolves once the model is loaded and listening. */
export async function startLocalModelServer(): Promise<LocalModelServer> {
  const server = await startPythonServer(localModelPaths.python, localModelPaths.server, 'The local embedding model');
  return { baseUrl: `http://127.0.0.1:${server.port}/v1`, stop: server.stop };
}

/**
 * Runs a Python HTTP server script that prints "listening <port>" when ready and exits
 * when its stdin closes (so it never outlives this process), and resolves with its port.
 */
export function startPythonServer(
  python: string,
  script: string,
  what: string,
): Promise<{ port: number; stop(): void }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(python, [script, '--port', '0'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONUNBUFFERED: '1' },
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new EmbeddingError(`${what} did not start within a minute.`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new EmbeddingError(`${what} could not start: ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new EmbeddingError(`${what} stopped (exit ${code}): ${stderr.trim().split('\n').at(-1)}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      if (!port) return;
      clearTimeout(timer);
      // The server lives as long as this process needs it, without keeping it alive.
      child.unref();
      for (const stream of [child.stdin, child.stdout, child.stderr]) {
        (stream as unknown as { unref?(): void }).unref?.();
      }
      resolve({ port: Number(port), stop: () => child.kill() });
    });
  });
}

let shared: Promise<LocalModelServer> | undefined;

/** The process's one local model server, started on first use and again if it died. */
function sharedServer(): Promise<LocalModelServer> {
  shared ??= startLocalModelServer().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return shared;
}

export class LocalModelEmbeddings implements EmbeddingProvider {
  readonly model = LOCAL_MODEL;

  async embed(texts: string[]): Promise<Float32Array[]> {
    const server = await sharedServer();
    try {
      return await new HttpEmbeddings({ baseUrl: server.baseUrl, model: LOCAL_MODEL }).embed(texts);
    } catch (err) {
      // A server that died (killed, out of memory) is started again on the next call.
      if (err instanceof EmbeddingError && /not reachable/.test(err.message)) shared = undefined;
      throw err;
    }
  }
}
