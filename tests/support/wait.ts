/** Polls until `predicate` holds; fails the test with `what` if it never does. */
export async function waitUntil(predicate: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
