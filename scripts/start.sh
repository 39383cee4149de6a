#!/usr/bin/env bash
# Brings up the product: installs what is missing, builds the .vsix, and launches code-server (VS Code in the
# browser) with Kernel Islands installed and the demo workspace open. The extension finds Python and starts its
# own local Jupyter Server on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm run package --silent
CODE_SERVER="$(bash scripts/install-code-server.sh)"
PORT="${KI_PORT:-8080}"
STATE="${KI_STATE_DIR:-$PWD/.ki-demo}"
mkdir -p "$STATE/user-data/User" "$STATE/extensions"
"$CODE_SERVER" --extensions-dir "$STATE/extensions" --install-extension dist/kernel-islands.vsix --force >/dev/null
echo
echo "Kernel Islands demo: open http://127.0.0.1:$PORT/?folder=$PWD/demo"
echo "(open a.py, put the cursor on a line, press Shift+Enter; Ctrl+C here stops it)"
echo
exec "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --user-data-dir "$STATE/user-data" \
  --extensions-dir "$STATE/extensions" --disable-telemetry --disable-update-check "$PWD/demo"
