#!/usr/bin/env bash
# Mutation testing of the conformance suite (conformance/mutation/stryker.config.mjs): the
# memory and SQLite stores and the store kit of @hallpass/core are mutated, the conformance suite
# is the only test. A surviving mutant is a store bug the suite lets through.
#
#   pnpm mutation:conformance                   # incremental: only mutants of changed code rerun
#   pnpm mutation:conformance -- --mutate packages/memory/src/memory-store.ts
#
# Time-bounded: stops (Stryker restores the files it instrumented in place) after
# HALLPASS_MUTATION_TIMEOUT seconds, default 2400. CPU heavy: on the shared machine run it under
# `flock /tmp/hallpass-cpu.lock`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${1:-}" == "--" ]]; then shift; fi
# --foreground: without it timeout signals Stryker twice (the process, then its whole group), and
# a second SIGINT makes Stryker exit at once without restoring the files it instrumented in place.
exec timeout --foreground --signal=INT "${HALLPASS_MUTATION_TIMEOUT:-2400}" \
  "$root/node_modules/.bin/stryker" run conformance/mutation/stryker.config.mjs "$@"
