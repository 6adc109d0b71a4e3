// A local OpenAI-compatible /v1/audio/transcriptions server. It parses the multipart
// upload with the platform's own Request.formData(), accepts only real OGG/Opus audio
// (an Ogg page carrying an OpusHead), and answers with a scripted transcript — or with
// OpenAI's 400 for anything it cannot decode.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TranscriptionRequest {
  authorization: string | undefined;
  model: string;
  language: string | undefined;
  fileName: string;
  mimeType: string;
  audio: Buffer;
}

export class FakeWhisper {
  readonly requests: TranscriptionRequest[] = [];
  transcript = 'Please remind me to call Anna tomorrow at nine.';
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          if (req.url !== '/v1/audio/transcriptions' || req.method !== 'POST') {
            res.writeHead(404).end();
            return;
          }
          const form = await new Request('http://local/', {
            method: 'POST',
            headers: { 'content-type': req.headers['content-type'] ?? '' },
            body: Buffer.concat(chunks),
          }).formData();
          const file = form.get('file') as File;
          const audio = Buffer.from(await file.arrayBuffer());
          this.requests.push({
            authorization: req.headers.authorization,
            model: String(form.get('model')),
            language: form.get('language') === null ? undefined : String(form.get('language')),
            fileName: file.name,
            mimeType: file.type,
            audio,
          });
          const isOggOpus = audio.subarray(0, 4).toString('latin1') === 'OggS' && audio.includes('OpusHead');
          if (!isOggOpus) {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end(
              JSON.stringify({
                error: { message: 'Invalid file format.', type: 'invalid_request_error', param: null, code: null },
              }),
            );
            return;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ text: this.transcript }));
        })();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
