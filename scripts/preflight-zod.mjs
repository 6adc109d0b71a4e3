// Module resolution hook for scripts/preflight.ts before the npm install: `zod` comes
// from .tools/preflight, where scripts/node-runtime.sh put the pinned version alone.
import { URL } from 'node:url';

const fallbackParent = new URL('../.tools/preflight/preflight.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'zod' || specifier.startsWith('zod/')) {
    return nextResolve(specifier, { ...context, parentURL: fallbackParent });
  }
  return nextResolve(specifier, context);
}
