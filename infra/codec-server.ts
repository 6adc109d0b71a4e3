// A remote codec server (the protocol Temporal's Web UI and CLI speak: POST /encode and
// /decode with `{ payloads: [...] }` in proto JSON, bytes in base64), so that an operator
// who runs it with the key reads decrypted payloads in the UI, while the Temporal server
// itself only ever holds ciphertext. CORS lets the UI's page call it; a bearer token,
// when configured, is required on every request (the UI passes one with
// `codec.passAccessToken`, the CLI with `--codec-auth`).
// Protocol: docs.temporal.io/production-deployment/data-encryption#codec-server-setup
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Config } from './config.ts';
import { AesGcmPayloadCodec } from './payload-codec.ts';
import { loadPayloadKeyring } from './payload-keys.ts';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface CodecServerOptions {
  codec: PayloadCodec;
  port: number;
  host?: string;
  /** Required as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** Browser origins allowed to call it (the Web UI's); `*` allows any. */
  allowedOrigins: string[];
}

export interface CodecServer {
  url: string;
  close(): Promise<void>;
}

/** Requests larger than this are refused (a page of history is far smaller). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: p.data ? Buffer.from(p.data).toString('base64') : undefined,
});

export function startCodecServer(opts: CodecServerOptions): Promise<CodecServer> {
  const server = createServer((req, res) => {
    handle(req, res, opts).catch(() => reply(res, 500, { message: 'The payloads could not be processed.' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: CodecServerOptions): Promise<void> {
  const origin = req.headers.origin;
  if (origin && (opts.allowedOrigins.includes('*') || opts.allowedOrigins.includes(origin))) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', 'X-Namespace, Content-Type, Authorization');
    res.setHeader('Vary', 'Origin');
  }
  // CORS preflight: the browser asks before it sends the token.
  if (req.method === 'OPTIONS') return reply(res, 204);
  const path = new URL(req.url ?? '/', 'http://codec').pathname;
  if (req.method !== 'POST' || (path !== '/decode' && path !== '/encode')) {
    return reply(res, 404, { message: 'POST /decode or /encode.' });
  }
  if (opts.token && !bearerMatches(req.headers.authorization, opts.token)) {
    return reply(res, 401, { message: 'A valid bearer token is required.' });
  }
  let body: { payloads?: JsonPayload[] };
  try {
    body = JSON.parse(await readBody(req)) as { payloads?: JsonPayload[] };
  } catch {
    return reply(res, 400, { message: 'The body must be JSON: { "payloads": [...] }.' });
  }
  if (!Array.isArray(body.payloads)) return reply(res, 400, { message: 'The body must have a "payloads" array.' });
  const payloads = body.payloads.map(fromJson);
  let result: Payload[];
  try {
    result = path === '/decode' ? await opts.codec.decode(payloads) : await opts.codec.encode(payloads);
  } catch (err) {
    // The codec's own messages name key ids, never key material or payload content.
    return reply(res, 400, { message: (err as Error).message });
  }
  reply(res, 200, { payloads: result.map(toJson) });
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

/** The Web UI's origins for a configuration (the embedded UI's port), for CORS. */
export function webUiOrigins(config: Pick<Config, 'temporalUiPort'>): string[] {
  return [`http://localhost:${config.temporalUiPort}`, `http://127.0.0.1:${config.temporalUiPort}`];
}

/** The codec server with this installation's keys, on CODEC_SERVER_PORT (0: any free port). */
export function startConfiguredCodecServer(config: Config, port = config.codecServerPort): Promise<CodecServer> {
  return startCodecServer({
    codec: new AesGcmPayloadCodec(loadPayloadKeyring(config)),
    port,
    token: config.codecServerToken,
    allowedOrigins: webUiOrigins(config),
  });
}
