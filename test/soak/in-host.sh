#!/usr/bin/env bash
# The in-host half of `npm run test:soak`: the open → run → close cycles of test/suite/cycles.test.ts, 200 of them
# (KI_SOAK_CYCLES), through the exported API in a real VS Code (code-server, see test/e2e/README.md). Only that
# test runs; no UI tests, no workspace-trust run. Figures are printed as `[host] figure: …` lines.
set -euo pipefail
cd "$(dirname "$0")/../.."
export KI_SOAK_CYCLES="${KI_SOAK_CYCLES:-200}"
export KI_E2E_GREP='open → run → close cycles'
export KI_E2E_SKIP_UI=1
export KI_E2E_SKIP_TRUST=1
export KI_E2E_SUITE_TIMEOUT_S="${KI_E2E_SUITE_TIMEOUT_S:-1800}"
exec bash test/e2e/run.sh
