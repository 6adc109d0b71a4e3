// What encrypting Temporal payloads costs per call: encode + decode (AES-256-GCM, the
// payload's protobuf re-encoded inside) of a session's callClaude input, the largest
// payload a turn sends (a conversation of SESSION_HISTORY_MESSAGES messages), and of a
// small one (a signal with one message). p50/p99 in microseconds, and the size overhead.
//   npm run bench:payload-codec      (BENCH_CODEC_ROUNDS=2000)
import { performance } from 'node:perf_hooks';
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, PayloadKeyring } from '../infra/payload-codec.ts';
import { newPayloadKey } from '../infra/payload-keys.ts';
import { percentile, runBench } from './harness.ts';

const ROUNDS = Number(process.env.BENCH_CODEC_ROUNDS ?? 2000);

const line = 'Could we move the call to Thursday afternoon, after the school run? ';
const conversation = {
  sessionId: 'session-123456789',
  telegramId: 123456789,
  messages: Array.from({ length: 40 }, (_, i) => ({
    role: i % 2 ? 'assistant' : 'user',
    content: [{ type: 'text', text: line.repeat(4) }],
  })),
};
const signal = { messageId: 42, text: line, sentAt: new Date().toISOString() };

runBench(async () => {
  const codec = new AesGcmPayloadCodec(new PayloadKeyring([Buffer.from(newPayloadKey(), 'base64')]));
  for (const [name, value] of [
    ['callClaude input, 40 messages', conversation],
    ['incoming message signal', signal],
  ] as const) {
    const payload = defaultPayloadConverter.toPayload(value);
    const times: number[] = [];
    let sealedSize = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const start = performance.now();
      const [sealed] = await codec.encode([payload]);
      await codec.decode([sealed!]);
      times.push((performance.now() - start) * 1000);
      sealedSize = sealed!.data!.length;
    }
    times.sort((a, b) => a - b);
    console.log(
      `${name}: ${payload.data!.length} → ${sealedSize} bytes; encode+decode p50 ${percentile(times, 0.5).toFixed(0)} µs, p99 ${percentile(times, 0.99).toFixed(0)} µs (${ROUNDS} rounds)`,
    );
  }
});
