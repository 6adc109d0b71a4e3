// An OpenAI-compatible /v1/embeddings server on 127.0.0.1 for tests. Its "model" knows
// a handful of concepts (words of one concept get nearby vectors), so search by meaning
// can be checked end to end through the real HTTP provider; every other word adds a
// small hashed component, as real models give unrelated texts low but non-zero similarity.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const CONCEPTS: string[][] = [
  ['coffee', 'espresso', 'latte', 'cappuccino', 'caffeine'],
  ['tennis', 'football', 'gym', 'running', 'sport', 'workout'],
  ['flight', 'plane', 'airport', 'trip', 'travel', 'flying'],
  ['vegetarian', 'vegan', 'meat', 'diet', 'food', 'eat'],
  ['morning', 'early', 'sunrise', 'breakfast'],
  ['budget', 'money', 'cost', 'price', 'invoice', 'finance'],
];

export class FakeEmbeddings {
  readonly requests: Array<{ model: string; input: string[]; authorization?: string }> = [];
  /** Answers with this status instead (to test failures). */
  failWith: number | undefined;
  private server: Server | undefined;

  constructor(readonly dimension = 32) {}

  vectorOf(text: string): number[] {
    const v = new Array<number>(this.dimension).fill(0);
    for (const word of text
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)) {
      const concept = CONCEPTS.findIndex((c) => c.some((w) => word.startsWith(w)));
      if (concept >= 0) v[concept]! += 1;
      else {
        let h = 7;
        for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[CONCEPTS.length + (h % (this.dimension - CONCEPTS.length))]! += 0.25;
      }
    }
    return v;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url !== '/v1/embeddings' || req.method !== 'POST') {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { model: string; input: string[] | string };
        const input = Array.isArray(body.input) ? body.input : [body.input];
        this.requests.push({ model: body.model, input, authorization: req.headers.authorization });
        if (this.failWith) {
          res.writeHead(this.failWith, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'scripted failure' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            object: 'list',
            model: body.model,
            data: input.map((text, index) => ({ object: 'embedding', index, embedding: this.vectorOf(text) })),
            usage: { prompt_tokens: 1, total_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
