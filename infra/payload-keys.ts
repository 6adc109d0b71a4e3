// Where the payload encryption keys come from: TEMPORAL_PAYLOAD_KEY (with older keys in
// TEMPORAL_PAYLOAD_OLD_KEYS), or else a key file in DATA_DIR, created with a fresh random
// key on first start and readable by its owner only. The file's first key encrypts; the
// others, kept after a rotation, still decode older history.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { Config } from './config.ts';
import { AesGcmPayloadCodec, KEY_BYTES, PayloadKeyring } from './payload-codec.ts';

export type PayloadKeyConfig = Pick<Config, 'dataDir' | 'temporalPayloadKey' | 'temporalPayloadOldKeys'>;

export const PAYLOAD_KEY_FILE = 'temporal-payload.keys';

export function payloadKeyFile(config: Pick<Config, 'dataDir'>): string {
  return join(resolve(config.dataDir), PAYLOAD_KEY_FILE);
}

export const newPayloadKey = (): string => randomBytes(KEY_BYTES).toString('base64');

function readKeyFile(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

const FILE_HEADER =
  '# Temporal payload keys (AES-256, base64). The first encrypts; the others decode older history.\n' +
  '# Back this file up: without it the history in Temporal cannot be read. `npm run rotate-payload-key` adds a key.\n';

function writeKeyFile(path: string, keys: string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, FILE_HEADER + keys.join('\n') + '\n', { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** The keys as base64 text, current first; creates the key file on first use. */
export function payloadKeys(config: PayloadKeyConfig): string[] {
  if (config.temporalPayloadKey) return [config.temporalPayloadKey, ...config.temporalPayloadOldKeys];
  const path = payloadKeyFile(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      // 'wx': two processes starting together must not each write their own key.
      writeFileSync(path, FILE_HEADER + newPayloadKey() + '\n', { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const keys = readKeyFile(path);
  if (keys.length === 0) throw new Error(`The payload key file ${path} holds no key.`);
  return [...keys, ...config.temporalPayloadOldKeys];
}

export function loadPayloadKeyring(config: PayloadKeyConfig): PayloadKeyring {
  return new PayloadKeyring(payloadKeys(config).map((key) => Buffer.from(key, 'base64')));
}

/** What every Temporal client and worker of this project encodes payloads with. */
export function createDataConverter(config: PayloadKeyConfig): DataConverter {
  return { payloadCodecs: [new AesGcmPayloadCodec(loadPayloadKeyring(config))] };
}

/**
 * Rotation: a new key becomes the current one; the old ones stay to decode history.
 * With the key in the environment the operator edits the environment instead (returned
 * as instructions); with the key file, the new key is written in front.
 */
export function rotatePayloadKey(config: PayloadKeyConfig): {
  keyFile?: string;
  instructions?: string;
  keyCount: number;
} {
  const fresh = newPayloadKey();
  if (config.temporalPayloadKey) {
    const old = [config.temporalPayloadKey, ...config.temporalPayloadOldKeys].join(',');
    return {
      keyCount: config.temporalPayloadOldKeys.length + 2,
      instructions: `Set TEMPORAL_PAYLOAD_KEY=${fresh}\nand TEMPORAL_PAYLOAD_OLD_KEYS=${old}\nin every process's environment, then restart them all.`,
    };
  }
  const path = payloadKeyFile(config);
  const keys = existsSync(path) ? readKeyFile(path) : [];
  writeKeyFile(path, [fresh, ...keys]);
  return { keyFile: path, keyCount: keys.length + 1 };
}
