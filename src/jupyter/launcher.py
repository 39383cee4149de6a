"""Runs a Jupyter Server in this process on behalf of Kernel Islands.

Why a launcher instead of `jupyter server`: the server must go away (with its kernels) when the
extension host goes away, even after a SIGKILL. The host holds our stdin pipe; the OS closes it
when the host dies, we read EOF, and shut the kernels down. If this launcher itself is killed,
Linux kills its kernels for us (PR_SET_PDEATHSIG, see server_patches.py).

Contract with the Node side (src/jupyter/launcherProcess.ts):
  argv:  --port N --root-dir DIR [--base-url /x/] [--islands-dir DIR]   (never the token)
  env:   JUPYTER_TOKEN (required), KI_GRACE_SECONDS (seconds to wait after stdin closes, default 0),
         KI_IPYTHON_HISTORY ("memory", the default, or "file": see server_patches.py),
         KI_BWRAP (the bubblewrap command, default "bwrap"), KI_KEEP_ISLANDS ("1": keep sandboxes' folders)
  stdin: kept open by the parent; EOF means "the parent is gone or wants us to stop".
  http:  POST {base_url}ki/lifeline (token header) lets a later extension host claim this server
         within the grace period and keep it alive by heartbeats (reload survival, server_lifeline.py).
         GET {base_url}ki/kernels/{id}/connection and .../events (token header) let the extension talk
         to a kernel over ZMQ directly and still hear of its restarts and death (kernel_routes.py).
         PUT {base_url}ki/sandboxes/{id} registers a sandbox profile for `ki-sbx-<id>-<kernel>` kernels, which run
         in bubblewrap with their island in --islands-dir (kernel_sandbox.py); 409 with the reason where none works.
  kernels: a kernel name `ki-env-<hex of a Python's path>` is a kernelspec that exists only in this process:
         `<that python> -m ipykernel_launcher -f {connection_file}` (server_patches.py). The server itself
         keeps running on the Python that runs us; each context's kernel may run in its project's environment.
  stdout: one JSON line {"event": "listening", "port": N, "pid": P} once the port is bound.
  exit:  0 after a clean stop; 1 when the server cannot start (e.g. port taken: the parent retries
         with another port); 2 on bad input; 3 when a config file would replace our token.

This file is the entry: arguments, the contract above, and main, which wires the modules next to it (imported
by plain name; Python puts this script's folder, dist/ or src/jupyter/, first on sys.path):
  server_patches.py   the patches of Jupyter internals, applied before the server is created
  server_lifeline.py  when the server stops (stdin EOF, leases, signals, POST ki/lifeline)
  kernel_routes.py    the direct-ZMQ routes;  kernel_sandbox.py  the sandboxed kernels
  launcher_log.py     the one stderr log they all write
The Node side copies each of them into dist/ (esbuild.mjs) and ships them (.vscodeignore).
"""

import argparse
import json
import os
import shutil
import sys

import server_patches
from launcher_log import log
from server_lifeline import Lifeline, add_lifeline_route

# How often the server checks that each kernel process is alive.
KERNEL_POLL_SECONDS = 0.25


def announce(event):
    """One JSON line on stdout for the parent; the server itself only logs to stderr."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="launcher.py")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--root-dir", required=True)
    parser.add_argument("--base-url", default="/")
    parser.add_argument("--islands-dir", default="")
    return parser.parse_args(argv)


def major_version(version):
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 1


def server_argv(args, server_major):
    """In-process CLI config: it outranks the user's config files, so ip/port cannot be overridden."""
    argv = [
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=%d" % args.port,
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        "--ServerApp.root_dir=%s" % args.root_dir,
        "--ServerApp.base_url=%s" % args.base_url,
    ]
    # The IOPub rate limit silently drops large outputs; the trait moved in 2.x.
    if server_major >= 2:
        argv.append("--ZMQChannelsWebsocketConnection.limit_rate=False")
    else:
        argv.append("--ServerApp.limit_rate=False")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")
    # The server notices a dead kernel process only when its restarter polls (every 3 s by default); a
    # waitpid every 0.25 s costs nothing and lets the user see "kernel died" well within a second.
    argv.append("--KernelRestarter.time_to_dead=%s" % KERNEL_POLL_SECONDS)
    return argv


def effective_token(app):
    provider = getattr(app, "identity_provider", None)
    if provider is not None and hasattr(provider, "token"):
        return provider.token
    return app.token


def main(argv):
    args = parse_args(argv)
    token = os.environ.get("JUPYTER_TOKEN", "")
    if len(token) < 32:
        log("JUPYTER_TOKEN must be set (at least 32 characters)")
        return 2
    grace = float(os.environ.get("KI_GRACE_SECONDS", "0") or "0")

    import jupyter_server
    from jupyter_server.serverapp import ServerApp

    import kernel_sandbox
    from kernel_routes import add_kernel_routes

    patched = server_patches.patch_websocket_nodelay()
    log("TCP_NODELAY on kernel websockets: %s" % (", ".join(patched) or "not available"))
    if server_patches.patch_iopub_unbounded():
        log("iopub: no receive limit, so bursts of output are not dropped")
    if server_patches.environment_kernel_specs():
        log("kernels may run in project environments (ki-env-* kernel names)")
    if server_patches.tie_kernels_to_launcher():
        log("kernels die with the launcher (PR_SET_PDEATHSIG)")
    if server_patches.patch_kernel_model_while_starting():
        log("kernels still starting are listed as starting")
    if server_patches.patch_light_activity_watch():
        log("kernel activity: status messages decoded, other iopub messages only timed")
    history = os.environ.pop("KI_IPYTHON_HISTORY", "memory")
    if history != "file" and server_patches.memory_history_for_kernels():
        log("IPython kernels keep their history in memory")

    app = ServerApp.instance()
    app.initialize(argv=server_argv(args, major_version(jupyter_server.__version__)))
    if effective_token(app) != token:
        log("a Jupyter config file overrides the token; refusing to start without our token")
        return 3
    # The info file and the browser-open page hold the token in clear text, and a killed launcher
    # leaves them behind. Nobody needs to discover this server: the parent has its URL and token.
    app.write_server_info_file = lambda: None
    app.write_browser_open_files = lambda: None
    # Kernels inherit our environment; they have no use for the server's credentials.
    os.environ.pop("JUPYTER_TOKEN", None)
    # ipykernel's bundled debugger warns about frozen modules on every kernel start; it is noise here.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")

    # initialize() has bound the port; only now may the parent send the token to it.
    announce({"event": "listening", "port": app.port, "pid": os.getpid()})

    keep_islands = os.environ.pop("KI_KEEP_ISLANDS", "") == "1"
    islands_dir = args.islands_dir or kernel_sandbox.temporary_islands_dir()
    sandboxes = kernel_sandbox.Sandboxes(
        islands_dir,
        bwrap=os.environ.pop("KI_BWRAP", "") or "bwrap",
        keep_islands=keep_islands,
    )
    if kernel_sandbox.install(app, sandboxes, log):
        log("agents' kernels may run in sandboxes (ki-sbx-* kernel names), islands in %s" % islands_dir)
    kernel_sandbox.add_sandbox_routes(app, sandboxes, token)

    lifeline = Lifeline(app, grace)
    add_lifeline_route(app, lifeline, token)
    add_kernel_routes(app, token)
    lifeline.install_signal_handlers()
    lifeline.watch_stdin()
    app.start()
    if not args.islands_dir and not keep_islands:
        shutil.rmtree(islands_dir, ignore_errors=True)
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
