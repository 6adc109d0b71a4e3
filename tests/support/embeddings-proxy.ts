// An OpenAI-compatible /v1/embeddings server on 127.0.0.1 in front of the real embedding
// model (the run's shared local model server, started by global-setup.ts): it forwards
// every request, records what reached it (model, inputs, Authorization header), and can
// answer with a failure instead, so tests see the provider's protocol and real vectors.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class EmbeddingsProxy {
  readonly requests: Array<{ model: string; input: string[]; authorization?: string }> = [];
  /** Answers with this status instead (to test failures). */
  failWith: number | undefined;
  private server: Server | undefined;

  /** `upstream`: the real model's base URL, e.g. http://127.0.0.1:4321/v1. */
  constructor(private readonly upstream: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.answer(req.url, req.method, req.headers.authorization, Buffer.concat(chunks).toString()).then(
          ({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(body),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  private async answer(url = '', method = '', authorization: string | undefined, raw: string) {
    if (url !== '/v1/embeddings' || method !== 'POST') return { status: 404, body: '{}' };
    const body = JSON.parse(raw) as { model: string; input: string[] | string };
    const input = Array.isArray(body.input) ? body.input : [body.input];
    this.requests.push({ model: body.model, input, authorization });
    if (this.failWith) {
      return { status: this.failWith, body: JSON.stringify({ error: { message: 'scripted failure' } }) };
    }
    const response = await fetch(`${this.upstream}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    return { status: response.status, body: await response.text() };
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
