// Encrypts every Temporal payload (workflow and activity inputs and results, signals,
// queries, memos, summaries) with AES-256-GCM before it leaves the process, so the
// Temporal server, its database and its Web UI hold ciphertext only. The key id travels
// in the payload's metadata: after a rotation the new key encrypts and the old ones,
// still in the keyring, keep decoding what was written before.
// Shape as in Temporal's encryption sample (samples-typescript/encryption).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, ValueError } from '@temporalio/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

const ProtoPayload = proto.temporal.api.common.v1.Payload;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

const utf8 = new TextEncoder();
const fromUtf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/** A stable, non-secret name for a key: the start of its SHA-256. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** The keys that decode, and the one (the first) that encrypts. */
export class PayloadKeyring {
  readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(keys: Buffer[]) {
    if (keys.length === 0) throw new Error('A payload keyring needs at least one key.');
    for (const key of keys) {
      if (key.length !== KEY_BYTES) throw new Error(`A payload key must be ${KEY_BYTES} bytes.`);
      this.keys.set(keyIdOf(key), key);
    }
    this.currentId = keyIdOf(keys[0]!);
  }

  get current(): Buffer {
    return this.keys.get(this.currentId)!;
  }

  get(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }
}

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING),
        [METADATA_KEY_ID]: utf8.encode(this.keyring.currentId),
      },
      data: encrypt(ProtoPayload.encode(payload).finish(), this.keyring.current),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was turned on stay readable.
      if (fromUtf8(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = fromUtf8(payload.metadata?.[METADATA_KEY_ID]);
      const key = keyId ? this.keyring.get(keyId) : undefined;
      if (!key) {
        throw new ValueError(
          `A payload is encrypted with key ${keyId ?? '(none)'}, which this process does not hold (it has ${this.keyring.ids.join(', ')}).`,
        );
      }
      if (!payload.data) throw new ValueError('An encrypted payload has no data.');
      return ProtoPayload.decode(decrypt(payload.data, key));
    });
  }
}

/** A short text sealed with the current key, as `<key id>:<base64>` (secrets kept in the database). */
export function sealText(keyring: PayloadKeyring, text: string): string {
  return `${keyring.currentId}:${Buffer.from(encrypt(utf8.encode(text), keyring.current)).toString('base64')}`;
}

export function openText(keyring: PayloadKeyring, sealed: string): string {
  const [keyId, body] = sealed.split(':');
  const key = keyId ? keyring.get(keyId) : undefined;
  if (!key || !body)
    throw new ValueError(`A stored secret is sealed with key ${keyId}, which this process does not hold.`);
  return Buffer.from(decrypt(Buffer.from(body, 'base64'), key)).toString('utf8');
}

function encrypt(plain: Uint8Array, key: Buffer): Uint8Array {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

function decrypt(sealed: Uint8Array, key: Buffer): Uint8Array {
  const bytes = Buffer.from(sealed);
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new ValueError('An encrypted payload is too short.');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ValueError('An encrypted payload failed its integrity check (wrong key or altered data).');
  }
}
