#!/usr/bin/env bash
# `npm run bench:ui`: what a user waits for in real VS Code (bench/ui/run.ts). Takes the machine-wide e2e lock, so
# it never overlaps an e2e run (both drive a code-server on the same 2 cores), installs code-server once into its
# cache, builds the product's vsix, then runs the bench. Arguments go to bench/ui/run.ts (`-- --quick`).
# KI_E2E_NO_BUILD=1 reuses dist/kernel-islands.vsix.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOCK="${TMPDIR:-/tmp}/kernel-islands-e2e.lock"
if [ -z "${KI_E2E_LOCKED:-}" ]; then
  export KI_E2E_LOCKED=1
  flock -n "$LOCK" true || echo "an e2e run or UI bench holds $LOCK; waiting for it" >&2
  exec flock -o "$LOCK" bash "$0" "$@"
fi

KI_CODE_SERVER="$(bash scripts/install-code-server.sh | tail -n 1)"
[ -x "$KI_CODE_SERVER" ] || { echo "code-server install did not produce an executable: $KI_CODE_SERVER" >&2; exit 1; }
export KI_CODE_SERVER

if [ "${KI_E2E_NO_BUILD:-}" != "1" ]; then
  npm run --silent package:host >/dev/null
fi
exec node --import tsx bench/ui/run.ts "$@"
