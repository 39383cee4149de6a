#!/usr/bin/env bash
# `npm run test:stress`: the integration layer, then the end-to-end layer, while two busy loops compete for the cores
# (this machine has two), as a loaded CI machine would. Prints each layer's time; exits with the first failing
# layer's status (0 when every layer passed). The busy loops end when the script does, however it ends: an EXIT
# trap kills them, and each loop also ends by itself once this script's process is gone (a SIGKILL runs no trap).
#
# KI_STRESS_ROUNDS=N   run the layers N times in a row (default 1), stopping at the first failure.
# KI_STRESS_INTEGRATION, KI_STRESS_E2E   the layers' commands (default `npm run test:integration`, `npm run
#                      test:e2e`); a trivial command checks the script itself. The layers see the busy loops' pids in
#                      KI_STRESS_BURNERS.
set -uo pipefail
cd "$(dirname "$0")/.."

rounds="${KI_STRESS_ROUNDS:-1}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || {
  echo "stress: KI_STRESS_ROUNDS must be a whole number of rounds (1 or more), not '$rounds'" >&2
  exit 2
}
layers=(integration e2e)
declare -A commands=(
  [integration]="${KI_STRESS_INTEGRATION:-npm run test:integration}"
  [e2e]="${KI_STRESS_E2E:-npm run test:e2e}"
)

# Job control: each background job (a busy loop, a layer) gets a process group of its own, so a layer is stopped
# whole (npm, mocha, the e2e harness and what they started) when the script is.
set -m

burners=()
layer_pid=""
stop_layer() {
  if [ -n "$layer_pid" ]; then
    kill -TERM -- "-$layer_pid" 2>/dev/null
    wait "$layer_pid" 2>/dev/null
    layer_pid=""
  fi
}
stop_burners() {
  if [ "${#burners[@]}" -gt 0 ]; then
    kill "${burners[@]}" 2>/dev/null
    wait "${burners[@]}" 2>/dev/null
    echo "stress: busy loops ${burners[*]} stopped"
    burners=()
  fi
}
trap 'stop_layer; stop_burners' EXIT
# A signal stops the running layer and ends the script through its EXIT trap, with the usual status for it.
on_signal() {
  echo "stress: stopped by SIG$1" >&2
  exit "$2"
}
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

# Each loop asks now and then whether this script still runs, and ends once it does not.
burn='const parent = Number(process.argv[1]);
for (let i = 1; ; i++) {
  if ((i & 0x3ffffff) === 0) {
    try { process.kill(parent, 0); } catch { process.exit(0); }
  }
}'
for _ in 1 2; do
  node -e "$burn" "$$" &
  burners+=("$!")
done
export KI_STRESS_BURNERS="${burners[*]}"
echo "stress: two busy loops (pids ${burners[*]}) compete for the cores"

summary=()
status=0
for ((round = 1; round <= rounds; round++)); do
  for layer in "${layers[@]}"; do
    echo "stress: round $round/$rounds, $layer layer: ${commands[$layer]}"
    start=$(date +%s)
    # In the background and waited for, so a signal to the script is handled at once, not after the layer.
    bash -c "${commands[$layer]}" &
    layer_pid=$!
    wait "$layer_pid"
    status=$?
    layer_pid=""
    took=$(($(date +%s) - start))
    summary+=("round $round $layer: $took s, exit $status")
    echo "stress: round $round/$rounds, $layer layer took $took s (exit $status)"
    [ "$status" -eq 0 ] || break 2
  done
done

echo "stress: summary (under two busy loops)"
printf '  %s\n' "${summary[@]}"
exit "$status"
