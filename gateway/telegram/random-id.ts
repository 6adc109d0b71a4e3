// Telegram de-duplicates sends by `random_id` per peer. Deriving it from the send's
// idempotency key makes a retried activity send the same id, so it never shows twice.
import { createHash } from 'node:crypto';
import { helpers } from 'telegram';

export type TelegramLong = ReturnType<typeof helpers.readBigIntFromBuffer>;

export function randomIdFor(idempotencyKey: string): TelegramLong {
  const digest = createHash('sha256').update(idempotencyKey).digest();
  return helpers.readBigIntFromBuffer(digest.subarray(0, 8), true, true);
}
