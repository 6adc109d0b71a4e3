// The house has floors (see eslint.config.js): contracts at the ground floor, pure
// helpers, workflows, infrastructure, clients, activities, gateway, worker. ESLint's
// no-cycle ignores type imports; this test does not: no module may reach itself
// through any chain of imports, type imports and re-exports included.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';

const SKIP = new Set(['node_modules', 'generated', 'data', '.tools', '.tmp', '.git', 'histories', 'fixtures']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every project module a file imports (values, types, re-exports, dynamic imports). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name));
}

/** One cycle as a list of files, or undefined when the graph has none. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return [...path.slice(path.indexOf(file)), file];
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('import graph', () => {
  const graph = new Map(sourceFiles(REPO_ROOT).map((file) => [file, importsOf(file)]));

  it('reads the whole project', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(join(REPO_ROOT, 'workflows', 'session.ts'))).toContain(join(REPO_ROOT, 'contracts', 'session.ts'));
  });

  it('has no circle, type imports included', () => {
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(REPO_ROOT, f)).join(' → ')).toBeUndefined();
  });

  it('finds a circle when there is one', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([a, b, a]);
    expect(
      findCycle(
        new Map([
          [a, [b]],
          [b, []],
        ]),
      ),
    ).toBeUndefined();
  });
});
