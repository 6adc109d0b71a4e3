// Which Node.js runs the project (scripts/node-runtime.sh, sourced by every npm script):
// the machine's own when it is 22.12 or newer, else the pinned Node 24 from the npm
// registry in .tools/, checked against its pinned sha512. Run on a copy of the script
// in a scratch folder, with a fake old `node` and a fake `npm` on PATH.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../infra/paths.ts';

const PINNED = /^JOBS_NODE_VERSION=(\S+)/m.exec(
  readFileSync(join(REPO_ROOT, 'scripts', 'node-runtime.sh'), 'utf8'),
)![1]!;

/** A scratch project with the script, and a bin folder holding a Node.js 20 stand-in. */
function scratch() {
  const root = mkdtempSync(join(REPO_ROOT, 'tests', '.tmp', 'node-runtime-'));
  mkdirSync(join(root, 'scripts'));
  copyFileSync(join(REPO_ROOT, 'scripts', 'node-runtime.sh'), join(root, 'scripts', 'node-runtime.sh'));
  const oldBin = join(root, 'old-bin');
  mkdirSync(oldBin);
  // Says it is 20.20.2 and fails the version check; anything else runs on the real Node.
  writeFileSync(
    join(oldBin, 'node'),
    `#!/bin/sh
case "$*" in
  --version) echo v20.20.2 ;;
  *process.versions.node*) exit 1 ;;
  *) exec "${process.execPath}" "$@" ;;
esac
`,
  );
  chmodSync(join(oldBin, 'node'), 0o755);
  return { root, oldBin };
}

function useNode(root: string, path: string) {
  return spawnSync(
    'bash',
    [
      '-c',
      'source scripts/node-runtime.sh && jobs_use_node && echo "$JOBS_NODE" && echo "$JOBS_NODE_SOURCE" && node --version',
    ],
    { cwd: root, env: { PATH: path, HOME: process.env.HOME }, encoding: 'utf8' },
  );
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const linuxPackage = platform() === 'linux' && ['x64', 'arm64'].includes(arch());

describe('the Node.js that runs the project', () => {
  it("uses the machine's own Node when it is supported, installing nothing", () => {
    const { root } = scratch();
    const result = useNode(root, `${dirname(process.execPath)}:${SYSTEM_PATH}`);
    expect(result.status, result.stderr).toBe(0);
    const [binary, source, version] = result.stdout.trim().split('\n');
    expect(binary).toBe(process.execPath);
    expect(source).toContain("this machine's");
    expect(version).toBe(process.version);
    expect(existsSync(join(root, '.tools'))).toBe(false);
  });

  it('puts the pinned Node 24 first on PATH when the machine has an older one', () => {
    const { root, oldBin } = scratch();
    // Installed earlier (here: a link to the Node that runs the tests).
    mkdirSync(join(root, '.tools', `node-${PINNED}`, 'bin'), { recursive: true });
    symlinkSync(process.execPath, join(root, '.tools', `node-${PINNED}`, 'bin', 'node'));
    const result = useNode(root, `${oldBin}:${SYSTEM_PATH}`);
    expect(result.status, result.stderr).toBe(0);
    const [binary, source, version] = result.stdout.trim().split('\n');
    expect(binary).toBe(join(root, '.tools', `node-${PINNED}`, 'bin', 'node'));
    expect(source).toBe(`pinned in .tools/node-${PINNED}; this machine's is v20.20.2`);
    expect(version).toBe(process.version);
  });

  it.runIf(linuxPackage)('refuses a downloaded Node whose checksum is not the pinned one', () => {
    const { root, oldBin } = scratch();
    // A registry that serves something else under the pinned name.
    const pkg = join(root, 'fake-package', 'package', 'bin');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'node'), '#!/bin/sh\necho v24.0.0-tampered\n');
    chmodSync(join(pkg, 'node'), 0o755);
    writeFileSync(
      join(oldBin, 'npm'),
      `#!/bin/sh\n# npm pack <name>@<version>: writes <name>-<version>.tgz here\nspec="$2"; tar -czf "$(echo "$spec" | tr @ -).tgz" -C "${join(root, 'fake-package')}" package\n`,
    );
    chmodSync(join(oldBin, 'npm'), 0o755);
    const result = useNode(root, `${oldBin}:${SYSTEM_PATH}`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`installing Node.js ${PINNED} from the npm registry`);
    expect(result.stderr).toContain('does not match its pinned checksum: not installed.');
    expect(existsSync(join(root, '.tools', `node-${PINNED}`))).toBe(false);
  });
});
