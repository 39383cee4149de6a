#!/usr/bin/env bash
# Installs everything Kernel Islands needs to run and to be tested on a fresh Debian machine:
# Debian packages (Python with jupyter_server + ipykernel, the R kernel, matplotlib, Chromium, and the
# libraries code-server's native modules build against), npm packages, and code-server (a real VS Code).
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-ipykernel jupyter-server r-cran-irkernel python3-matplotlib chromium
  libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

echo "setup: code-server at $(bash scripts/install-code-server.sh)"
