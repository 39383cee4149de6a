# Shared by the set-up scripts (sourced, not run). Each install step runs with its output in a log file of its own;
# a failing step stops the script with its name, its exit code and the tail of its log, so nothing fails quietly.

# Folder for the step logs of this run (one folder per run, kept for reading after a failure).
KI_SETUP_LOGS="${KI_SETUP_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/ki-setup.XXXXXX")}"
export KI_SETUP_LOGS

# step NAME COMMAND [ARGS…]: runs the command with stdout and stderr in "$KI_SETUP_LOGS/NAME.log".
step() {
  local name="$1"
  shift
  local log
  log="$KI_SETUP_LOGS/$(printf %s "$name" | tr -c "A-Za-z0-9.\n" "-" | cut -c1-60).log"
  echo "setup: $name (log: $log)" >&2
  local rc=0
  "$@" >"$log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    fail_step "$name" "$rc" "$log"
  fi
}

# fail_step NAME EXIT_CODE LOG: the loud end of a failed step.
fail_step() {
  {
    echo
    echo "setup: FAILED: $1 (exit $2)"
    echo "setup: last 40 lines of $3:"
    tail -n 40 "$3" | sed 's/^/  | /'
    echo "setup: FAILED: $1 — see the whole log at $3"
  } >&2
  exit "$2"
}

# clean_npm_env COMMAND [ARGS…]: runs the command without the variables that an enclosing `npm run` exports.
# npm passes its own settings to scripts as npm_config_* variables, and a nested npm reads them back as its
# settings: npm_config_user_agent then still names the outer Node (v20), and code-server's postinstall takes the
# Node version from that user agent and refuses to install. A user's own cache and registry settings are kept.
clean_npm_env() {
  local drop=() var
  for var in $(compgen -e); do
    case "${var,,}" in
      npm_config_cache | npm_config_registry | npm_config_cafile | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy) ;;
      npm_* | init_cwd | node) drop+=(-u "$var") ;;
    esac
  done
  env "${drop[@]}" "$@"
}
