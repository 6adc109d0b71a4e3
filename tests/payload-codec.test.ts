// The payload codec and its keys: AES-256-GCM with the key id in the metadata, keys from
// the environment or a 0600 key file created on first use, rotation that keeps history
// readable; and the codec server, called the way the Temporal Web UI calls it.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCodecServer } from '../infra/codec-server.ts';
import type { CodecServer } from '../infra/codec-server.ts';
import { AesGcmPayloadCodec, METADATA_KEY_ID, PayloadKeyring } from '../infra/payload-codec.ts';
import { loadPayloadKeyring, newPayloadKey, payloadKeyFile, rotatePayloadKey } from '../infra/payload-keys.ts';

const text = (p: Payload) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8');
const secretNote = 'Anna is pregnant; do not tell anyone before March';

describe('AES-GCM payload codec', () => {
  const keyring = new PayloadKeyring([Buffer.from(newPayloadKey(), 'base64')]);
  const codec = new AesGcmPayloadCodec(keyring);

  it('hides the content and gets it back', async () => {
    const plain = defaultPayloadConverter.toPayload({ note: secretNote });
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed!)).not.toContain('pregnant');
    expect(Buffer.from(sealed!.metadata![METADATA_KEY_ID]!).toString()).toBe(keyring.currentId);
    const [opened] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(opened!)).toEqual({ note: secretNote });
  });

  it('refuses altered ciphertext and unknown keys, and lets old plain payloads through', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('hello')]);
    const altered = { ...sealed!, data: Buffer.from(sealed!.data!).fill(1, 20, 21) };
    await expect(codec.decode([altered])).rejects.toThrow(/integrity/);
    const stranger = new AesGcmPayloadCodec(new PayloadKeyring([Buffer.from(newPayloadKey(), 'base64')]));
    await expect(stranger.decode([sealed!])).rejects.toThrow(/does not hold/);
    const legacy = defaultPayloadConverter.toPayload('written before encryption');
    expect(await codec.decode([legacy])).toEqual([legacy]);
  });
});

describe('payload keys', () => {
  it('creates a key file readable by its owner only, and rotation keeps the old key for decoding', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jobs-keys-'));
    const config = { dataDir, temporalPayloadKey: undefined, temporalPayloadOldKeys: [] };
    const first = loadPayloadKeyring(config);
    expect(statSync(payloadKeyFile(config)).mode & 0o777).toBe(0o600);
    expect(loadPayloadKeyring(config).currentId).toBe(first.currentId);
    const [before] = await new AesGcmPayloadCodec(first).encode([defaultPayloadConverter.toPayload(secretNote)]);

    rotatePayloadKey(config);
    const rotated = loadPayloadKeyring(config);
    expect(rotated.currentId).not.toBe(first.currentId);
    expect(rotated.ids).toContain(first.currentId);
    expect(statSync(payloadKeyFile(config)).mode & 0o777).toBe(0o600);
    const codec = new AesGcmPayloadCodec(rotated);
    expect(defaultPayloadConverter.fromPayload((await codec.decode([before!]))[0]!)).toBe(secretNote);
    const [after] = await codec.encode([defaultPayloadConverter.toPayload('new')]);
    expect(Buffer.from(after!.metadata![METADATA_KEY_ID]!).toString()).toBe(rotated.currentId);
    expect(readFileSync(payloadKeyFile(config), 'utf8')).toMatch(/rotate-payload-key/);
  });

  it('prefers TEMPORAL_PAYLOAD_KEY, with former keys that only decode', () => {
    const [current, old] = [newPayloadKey(), newPayloadKey()];
    const keyring = loadPayloadKeyring({
      dataDir: '/nonexistent',
      temporalPayloadKey: current,
      temporalPayloadOldKeys: [old],
    });
    expect(keyring.ids).toHaveLength(2);
    expect(keyring.current.toString('base64')).toBe(current);
    const rotation = rotatePayloadKey({
      dataDir: '/nonexistent',
      temporalPayloadKey: current,
      temporalPayloadOldKeys: [old],
    });
    expect(rotation.instructions).toContain(`TEMPORAL_PAYLOAD_OLD_KEYS=${current},${old}`);
  });
});

describe('codec server', () => {
  const keyring = new PayloadKeyring([Buffer.from(newPayloadKey(), 'base64')]);
  const codec = new AesGcmPayloadCodec(keyring);
  const uiOrigin = 'http://localhost:8233';
  let server: CodecServer;

  beforeAll(async () => {
    server = await startCodecServer({ codec, port: 0, token: 'operator-token', allowedOrigins: [uiOrigin] });
  });
  afterAll(async () => {
    await server?.close();
  });

  /** The body the Web UI posts: proto JSON, bytes in base64. */
  const asJson = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data!).toString('base64'),
  });
  const decode = (body: unknown, headers: Record<string, string>) =>
    fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Origin: uiOrigin, ...headers },
      body: JSON.stringify(body),
    });

  it('decodes what the UI sends when the bearer token comes with it', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload({ text: secretNote })]);
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: uiOrigin, 'Access-Control-Request-Headers': 'authorization,content-type,x-namespace' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);

    const res = await decode({ payloads: [asJson(sealed!)] }, { Authorization: 'Bearer operator-token' });
    expect(res.status).toBe(200);
    const { payloads } = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payloads[0]!.data, 'base64').toString())).toEqual({ text: secretNote });
  });

  it('refuses a request without the token or with a wrong one, and bad bodies', async () => {
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    expect((await decode({ payloads: [asJson(sealed!)] }, {})).status).toBe(401);
    expect((await decode({ payloads: [asJson(sealed!)] }, { Authorization: 'Bearer guess' })).status).toBe(401);
    const bad = await decode({ nothing: true }, { Authorization: 'Bearer operator-token' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('payloads');
  });
});
