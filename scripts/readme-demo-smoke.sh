#!/usr/bin/env bash
# The README's `npm run demo` as a new user runs it: a fresh clone of the committed tree, an empty
# HOME (no npm configuration, no caches, no pnpm store) and no npm_config_* variables, with
# whatever Node and npm are on PATH. Passes when the demo serves its home page; then stops it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -- "-$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone -q "$root" "$work/repo"
mkdir "$work/home"
port="$(node -e 'const s = require("node:net").createServer().listen(0, () => { console.log(s.address().port); s.close(); })')"
echo "readme-demo-smoke: npm run demo in a fresh clone, HOME=$work/home, port $port"

start=$(date +%s)
# A process group of its own (setsid), so the whole tree (npm, pnpm, node) can be stopped.
setsid env -u NODE_OPTIONS $(env | sed -n 's/^\(npm_config_[^=]*\)=.*/-u \1/p') \
  HOME="$work/home" PORT="$port" bash -c 'cd "$1" && exec npm run demo' _ "$work/repo" \
  >"$work/demo.log" 2>&1 &
pid=$!

while true; do
  if curl -fsS "http://localhost:$port/" -o "$work/page.html" 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "readme-demo-smoke: the demo exited before serving a page:" >&2
    cat "$work/demo.log" >&2
    exit 1
  fi
  if [ $(($(date +%s) - start)) -gt 600 ]; then
    echo "readme-demo-smoke: no page after 600 s:" >&2
    cat "$work/demo.log" >&2
    exit 1
  fi
  sleep 1
done
grep -q '<title>Home · hallpass demo</title>' "$work/page.html" || {
  echo "readme-demo-smoke: the page is not the demo's home page" >&2
  exit 1
}
sed 's/^/  | /' "$work/demo.log"
echo "readme-demo-smoke: the demo served its home page $(($(date +%s) - start)) s after npm run demo"
