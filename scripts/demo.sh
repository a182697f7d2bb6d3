#!/usr/bin/env bash
# `npm run demo`: builds the packages the demo imports (JavaScript only, in parallel) and starts
# it. Run through scripts/toolchain.sh, which provides Node >= 22 and the installed workspace.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "hallpass: building the packages the demo uses (JavaScript only, no declaration files)" >&2
HALLPASS_SKIP_DTS=1 pnpm exec turbo run build --filter=@hallpass/demo^... --output-logs=errors-only >&2
echo "hallpass: starting the demo" >&2
exec pnpm --filter @hallpass/demo start
