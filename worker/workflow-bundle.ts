// The workflow bundle (webpack) costs seconds of CPU, and a restart usually bundles the
// very same code again. The bundle is kept with the list of project files it was built
// from (its source map's sources) and their SHA-256, plus the installed packages' record:
// it is reused only while every one of those is unchanged, and rebuilt otherwise.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { log } from '../infra/logger.ts';
import { REPO_ROOT, WORKFLOWS_PATH } from '../infra/paths.ts';

export const WORKFLOW_BUNDLE_CACHE = join(REPO_ROOT, 'node_modules', '.cache', 'jobs');

interface BundleManifest {
  workflowsPath: string;
  /** Absolute path → SHA-256 of every project file in the bundle, and of npm's install record. */
  inputs: Record<string, string>;
}

export type WorkflowBundle = ({ codePath: string } | { code: string }) & {
  /** False when the cached bundle was reused. */
  rebuilt: boolean;
};

// The bundler's webpack report is noise at start-up; warnings and errors still show.
const quietBundlerLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  log: () => undefined,
  warn: (message: string, meta?: Record<string, unknown>) => log.warn(message, meta),
  error: (message: string, meta?: Record<string, unknown>) => log.error(message, meta),
};

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** npm rewrites this file on every install: a changed SDK means a new bundle. */
const installRecord = (root: string) => join(root, 'node_modules', '.package-lock.json');

function projectSources(code: string, root: string): string[] {
  const map = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,(\S+)\s*$/.exec(code);
  if (!map) return [];
  const sources = (JSON.parse(Buffer.from(map[1]!, 'base64').toString()) as { sources: string[] }).sources;
  return sources.filter((s) => s.startsWith(root) && !relative(root, s).startsWith('node_modules') && existsSync(s));
}

function isFresh(manifest: BundleManifest, workflowsPath: string): boolean {
  if (manifest.workflowsPath !== workflowsPath || Object.keys(manifest.inputs).length === 0) return false;
  return Object.entries(manifest.inputs).every(([path, hash]) => existsSync(path) && sha256(path) === hash);
}

/** The workflow bundle for `workflowsPath`, from the cache when nothing it was built from has changed. */
export async function cachedWorkflowBundle(
  workflowsPath = WORKFLOWS_PATH,
  cacheDir = WORKFLOW_BUNDLE_CACHE,
  root = REPO_ROOT,
): Promise<WorkflowBundle> {
  const name = createHash('sha256').update(workflowsPath).digest('hex').slice(0, 12);
  const codePath = join(cacheDir, `workflow-bundle-${name}.js`);
  const manifestPath = join(cacheDir, `workflow-bundle-${name}.json`);
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BundleManifest;
    if (existsSync(codePath) && isFresh(manifest, workflowsPath)) return { codePath, rebuilt: false };
  } catch {
    // No cache yet, or an unreadable one: build.
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
  const inputs = Object.fromEntries(
    [...projectSources(code, root), ...(existsSync(installRecord(root)) ? [installRecord(root)] : [])].map((p) => [
      p,
      sha256(p),
    ]),
  );
  try {
    mkdirSync(cacheDir, { recursive: true });
    // Written aside, then renamed: a concurrent start never reads half a bundle.
    writeFileSync(`${codePath}.${process.pid}`, code);
    renameSync(`${codePath}.${process.pid}`, codePath);
    writeFileSync(`${manifestPath}.${process.pid}`, JSON.stringify({ workflowsPath, inputs } satisfies BundleManifest));
    renameSync(`${manifestPath}.${process.pid}`, manifestPath);
    return { codePath, rebuilt: true };
  } catch (err) {
    // A read-only install still runs, bundling at every start.
    log.debug('Workflow bundle not cached', { error: (err as Error).message });
    return { code, rebuilt: true };
  }
}
