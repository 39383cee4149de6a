#!/usr/bin/env bash
# Installs everything Kernel Islands needs to run and to be tested on a fresh Debian machine:
# Debian packages (Python with jupyter_server + ipykernel, the R kernel, matplotlib, Chromium, and the
# libraries code-server's native modules build against), npm packages, and code-server (a real VS Code).
# Safe to run again: each step is skipped when already done. Each step logs to a file of its own; a failing step
# stops set-up with a non-zero exit, its name and the tail of its log.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/steps.sh
source scripts/lib/steps.sh

APT_PACKAGES=(python3-ipykernel python3-debugpy jupyter-server r-cran-irkernel python3-matplotlib python3-pandas python3-numpy chromium
  jupyterhub bubblewrap libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev)

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
# Debian starts and enables a package's service when it installs it. jupyterhub's would serve on port 8000 of every
# interface; the tests start hubs of their own on 127.0.0.1. So nothing starts while set-up installs (a policy-rc.d
# that says no, unless the machine has one already), and a service set-up installed stays disabled.
POLICY_RC_D="${KI_POLICY_RC_D:-/usr/sbin/policy-rc.d}"
install_without_services() {
  local added=0 rc=0
  if [ ! -e "$POLICY_RC_D" ]; then
    printf '#!/bin/sh\n# Kernel Islands set-up: no service starts while it installs.\nexit 101\n' |
      "${SUDO[@]}" tee "$POLICY_RC_D" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY_RC_D"
    added=1
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" || rc=$?
  if [ "$added" -eq 1 ]; then "${SUDO[@]}" rm -f "$POLICY_RC_D"; fi
  if [ "$rc" -eq 0 ] && [[ " $* " == *" jupyterhub "* ]] && command -v systemctl >/dev/null; then
    "${SUDO[@]}" systemctl disable jupyterhub.service || true
  fi
  return "$rc"
}
if [ ${#missing[@]} -gt 0 ]; then
  step "Debian package lists (apt-get update)" "${SUDO[@]}" apt-get update
  step "Debian packages: ${missing[*]}" install_without_services "${missing[@]}"
elif [ "${CI:-}" = "true" ]; then
  # Installed already on this machine; prove the list still resolves, as it must on a new machine.
  step "Debian packages resolve (apt-get install --simulate)" \
    "${SUDO[@]}" apt-get install --simulate "${APT_PACKAGES[@]}"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm packages (npm ci)" clean_npm_env npm ci --no-audit --no-fund
fi

# The wrapper's path is the script's only stdout line; its own steps report their failures.
code_server="$(bash scripts/install-code-server.sh)"
[ -x "$code_server" ] || fail_step "code-server" 1 /dev/null
echo "setup: done (code-server: $code_server)"
