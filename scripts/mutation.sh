#!/usr/bin/env bash
# Mutation testing of @hallpass/core with StrykerJS (packages/core/stryker.config.mjs).
#
#   pnpm mutation              # the security-relevant files, incremental; minutes to hours
#   pnpm mutation -- --ci      # the cheap scoped run CI may call: token.ts and cookie.ts only,
#                              # fails below HALLPASS_MUTATION_BREAK (default 85) or after
#                              # HALLPASS_MUTATION_TIMEOUT seconds (default 900)
#   pnpm mutation -- --mutate src/binding.ts   # any other Stryker option is passed through
#
# CPU heavy: on the shared machine run it under `flock /tmp/hallpass-cpu.lock`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stryker="$root/node_modules/.bin/stryker"
cd "$root/packages/core"
if [[ "${1:-}" == "--" ]]; then shift; fi
if [[ "${1:-}" == "--ci" ]]; then
  shift
  # --foreground: see scripts/mutation-conformance.sh (one SIGINT, so Stryker restores its files).
  exec timeout --foreground --signal=INT "${HALLPASS_MUTATION_TIMEOUT:-900}" \
    "$stryker" run stryker.ci.config.mjs "$@"
fi
exec "$stryker" run stryker.config.mjs "$@"
