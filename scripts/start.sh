#!/usr/bin/env bash
# Brings up the product: installs what is missing, builds the .vsix, and launches code-server (VS Code in the
# browser) with Kernel Islands installed and the demo workspace open. The extension finds Python and starts its
# own local Jupyter Server on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/steps.sh
source scripts/lib/steps.sh
bash scripts/setup.sh
step "build the extension (npm run package:host)" npm run package:host
CODE_SERVER="$(bash scripts/install-code-server.sh)"
PORT="${KI_PORT:-8080}"
STATE="${KI_STATE_DIR:-$PWD/.ki-demo}"
mkdir -p "$STATE/user-data/User" "$STATE/extensions"
step "install the extension into code-server" \
  "$CODE_SERVER" --extensions-dir "$STATE/extensions" --install-extension dist/kernel-islands.vsix --force
echo
echo "Kernel Islands demo: open http://127.0.0.1:$PORT/?folder=$PWD/demo"
echo "(open a.py, put the cursor on a line, press Shift+Enter; Ctrl+C here stops it)"
echo
# The demo folder is this repo's own, opened in a VS Code state folder of its own: it is trusted, so Shift+Enter
# works at once (Kernel Islands runs nothing in Restricted Mode; test/e2e/trust.ts checks that).
exec "$CODE_SERVER" --disable-workspace-trust --auth none --bind-addr "127.0.0.1:$PORT" --user-data-dir "$STATE/user-data" \
  --extensions-dir "$STATE/extensions" --disable-telemetry --disable-update-check "$PWD/demo"
