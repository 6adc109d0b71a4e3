// Preloaded into `prisma migrate deploy` (common/database-setup.ts). Prisma's WebAssembly
// schema engine leaves a 10-second timer behind after its last query, and so does the
// migration adapter's pg pool: the CLI then sits idle for 10 s after its work is done.
// Unreferenced, such timers still fire while the CLI has work, but no longer keep a
// finished process alive.
'use strict';
const setTimeoutOriginal = globalThis.setTimeout;
globalThis.setTimeout = function setTimeoutUnrefLong(callback, delay, ...args) {
  const timer = setTimeoutOriginal(callback, delay, ...args);
  if (typeof delay === 'number' && delay >= 5000) timer.unref();
  return timer;
};
