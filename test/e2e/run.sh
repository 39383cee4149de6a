#!/usr/bin/env bash
# `npm run test:e2e`: the product in a real VS Code (code-server), driven by the in-host suite and Playwright.
# Installs code-server once into a cache, builds the vsix and the suite bundle, then runs the harness.
# Exits non-zero on any failure; the last line is `N passed, N failed`.
# KI_E2E_NO_BUILD=1 skips the builds (reuse dist/ and out/ from a previous run).
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "$1" >&2
  echo "0 passed, 1 failed"
  exit 1
}

# One e2e run at a time per machine: concurrent runs share test/e2e/artifacts and starve each other's
# workbench of CPU (2 cores here), which turns timing-sensitive UI steps flaky.
# flock -o: the lock stays with flock itself, so no process of the run can keep holding it.
LOCK="${TMPDIR:-/tmp}/kernel-islands-e2e.lock"
if [ -z "${KI_E2E_LOCKED:-}" ]; then
  export KI_E2E_LOCKED=1
  flock -n "$LOCK" true || echo "another e2e run holds $LOCK; waiting for it"
  exec flock -o "$LOCK" bash "$0" "$@"
fi

KI_CODE_SERVER="$(bash scripts/install-code-server.sh | tail -n 1)" || fail "code-server install failed"
[ -x "$KI_CODE_SERVER" ] || fail "code-server install did not produce an executable: $KI_CODE_SERVER"
export KI_CODE_SERVER

if [ "${KI_E2E_NO_BUILD:-}" != "1" ]; then
  npm run --silent package:host >/dev/null || fail "npm run package:host failed"
  node esbuild.mjs --suite-only || fail "bundling the in-host suite failed"
fi

# Workspace trust needs a code-server of its own with trust on, and the `npm start` smoke test runs the product as a
# newcomer does; both run after the harness, under the same lock.
# Each part prints its own `N passed, N failed`; the last line adds them up (a part that printed none counts as
# one failure).
status=0
passed=0
failed=0
parts=(test/e2e/harness.ts)
# KI_E2E_SKIP_TRUST=1 (the soak run, filtered runs): no second code-server for the workspace-trust check.
[ "${KI_E2E_SKIP_TRUST:-}" = "1" ] || parts+=(test/e2e/trust.ts)
# KI_E2E_SKIP_START=1 (filtered runs): no smoke test of `npm start` itself (startSmoke.ts).
[ "${KI_E2E_SKIP_START:-}" = "1" ] || parts+=(test/e2e/startSmoke.ts)
for part in "${parts[@]}"; do
  out="$(mktemp)"
  set +e
  node --import tsx "$part" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  [ "$rc" = 0 ] || status=1
  summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1 || true)"
  rm -f "$out"
  if [ -z "$summary" ]; then
    failed=$((failed + 1))
  else
    passed=$((passed + ${summary%% passed*}))
    rest="${summary#*, }"
    failed=$((failed + ${rest%% failed}))
  fi
done
echo "e2e total (${parts[*]}):"
echo "$passed passed, $failed failed"
exit $status
