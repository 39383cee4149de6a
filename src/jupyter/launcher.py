"""Runs a Jupyter Server in this process on behalf of Kernel Islands.

Why a launcher instead of `jupyter server`: the server must go away (with its kernels) when the
extension host goes away, even after a SIGKILL. The host holds our stdin pipe; the OS closes it
when the host dies, we read EOF, and shut the kernels down. If this launcher itself is killed,
Linux kills its kernels for us (PR_SET_PDEATHSIG, see tie_kernels_to_launcher).

Contract with the Node side (src/jupyter/launcherProcess.ts):
  argv:  --port N --root-dir DIR [--base-url /x/] [--islands-dir DIR]   (never the token)
  env:   JUPYTER_TOKEN (required), KI_GRACE_SECONDS (seconds to wait after stdin closes, default 0),
         KI_IPYTHON_HISTORY ("memory", the default, or "file": see memory_history_for_kernels),
         KI_BWRAP (the bubblewrap command, default "bwrap"), KI_KEEP_ISLANDS ("1": keep sandboxes' folders)
  stdin: kept open by the parent; EOF means "the parent is gone or wants us to stop".
  http:  POST {base_url}ki/lifeline (token header) lets a later extension host claim this server
         within the grace period and keep it alive by heartbeats (reload survival).
         GET {base_url}ki/kernels/{id}/connection and .../events (token header) let the extension talk
         to a kernel over ZMQ directly and still hear of its restarts and death (kernel_routes.py).
         PUT {base_url}ki/sandboxes/{id} registers a sandbox profile for `ki-sbx-<id>-<kernel>` kernels, which run
         in bubblewrap with their island in --islands-dir (kernel_sandbox.py); 409 with the reason where none works.
  kernels: a kernel name `ki-env-<hex of a Python's path>` is a kernelspec that exists only in this process:
         `<that python> -m ipykernel_launcher -f {connection_file}` (environment_kernel_specs). The server itself
         keeps running on the Python that runs us; each context's kernel may run in its project's environment.
  stdout: one JSON line {"event": "listening", "port": N, "pid": P} once the port is bound.
  exit:  0 after a clean stop; 1 when the server cannot start (e.g. port taken: the parent retries
         with another port); 2 on bad input; 3 when a config file would replace our token.
"""

import argparse
import json
import os
import shutil
import signal
import sys
import threading
import time

# How long a stop may take before we stop being polite and kill the kernels ourselves.
STOP_WATCHDOG_SECONDS = 15.0
# How often the server checks that each kernel process is alive.
KERNEL_POLL_SECONDS = 0.25


def log(message):
    try:
        sys.stderr.write("[kernel-islands launcher] %s\n" % message)
        sys.stderr.flush()
    except (OSError, ValueError):
        # Our stderr is a pipe to the parent; once the parent is dead every write fails with EPIPE.
        # Losing the message is fine, but raising here would kill the thread that stops the server.
        pass


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


def patch_websocket_nodelay():
    """Nagle plus delayed ACKs add ~40 ms to every small kernel message; disable Nagle per socket."""
    targets = [
        ("jupyter_server.services.kernels.handlers", "ZMQChannelsHandler"),  # 1.x
        ("jupyter_server.services.kernels.websocket", "KernelWebsocketHandler"),  # 2.x
    ]
    patched = []
    for module_name, class_name in targets:
        try:
            module = __import__(module_name, fromlist=[class_name])
        except ImportError:
            continue
        handler = getattr(module, class_name, None)
        if handler is None or getattr(handler, "_ki_nodelay", False):
            continue
        original_open = handler.open

        def open_with_nodelay(self, *a, _original=original_open, **kw):
            self.set_nodelay(True)
            return _original(self, *a, **kw)

        handler.open = open_with_nodelay
        handler._ki_nodelay = True
        patched.append(class_name)
    return patched


def patch_iopub_unbounded():
    """Never drop kernel output on the server's side of the iopub channel.

    ZMQ's PUB socket silently drops messages once the pipe to a slow subscriber holds its high-water mark (1000
    messages by default), so a burst of flushed prints lost lines under load. With no receive limit on the server's
    SUB socket, ZMQ's I/O thread always drains the kernel's queue; the output waits in memory instead of vanishing.
    """
    try:
        import zmq
        from jupyter_client.connect import ConnectionFileMixin
    except ImportError:
        return False
    if getattr(ConnectionFileMixin, "_ki_iopub_unbounded", False):
        return True
    original = ConnectionFileMixin._create_connected_socket

    def create_connected_socket(self, channel, identity=None):
        if channel != "iopub":
            return original(self, channel, identity=identity)
        # The same steps as jupyter_client's, plus rcvhwm, which must be set before connect.
        sock = self.context.socket(zmq.SUB)
        sock.linger = 1000
        sock.rcvhwm = 0
        if identity:
            sock.identity = identity
        sock.connect(self._make_url(channel))
        return sock

    ConnectionFileMixin._create_connected_socket = create_connected_socket
    ConnectionFileMixin._ki_iopub_unbounded = True
    return True


def patch_kernel_model_while_starting():
    """List a kernel that is still starting instead of failing the whole listing.

    jupyter_server 1.x puts a kernel in its table before the start finishes, and sets its `last_activity` and
    `execution_state` only afterwards; `GET /api/kernels` in that window raised AttributeError and answered 500.
    A window that reloads while a warm kernel starts lists the kernels to adopt them, so it met that 500.
    """
    try:
        from jupyter_server._tz import isoformat, utcnow
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    except ImportError:
        return False
    if getattr(MappingKernelManager, "_ki_model_while_starting", False):
        return True
    original = MappingKernelManager.kernel_model

    def kernel_model(self, kernel_id):
        kernel = self._kernels.get(kernel_id)
        if kernel is None or hasattr(kernel, "last_activity"):
            return original(self, kernel_id)
        return {
            "id": kernel_id,
            "name": kernel.kernel_name,
            "last_activity": isoformat(utcnow()),
            "execution_state": "starting",
            "connections": self._kernel_connections.get(kernel_id, 0),
        }

    MappingKernelManager.kernel_model = kernel_model
    MappingKernelManager._ki_model_while_starting = True
    return True


def patch_light_activity_watch():
    """Keep the server's record of kernel activity without decoding every iopub message.

    jupyter_server subscribes to each kernel's iopub to keep `last_activity` and `execution_state` (its REST
    model, the websocket nudge and idle culling read them), and fully decoded every message for it: an HMAC over
    all its bytes and the JSON of header, parent and metadata, and status messages a second time. On this 2-core
    machine that was 2-3 ms of server CPU per `1+1` (npm run bench, P2), racing the kernel and a ZMQ client for
    the cores, and an HMAC over every byte of an output flood. This watch records the same facts:
    `last_activity` on every message, `execution_state` from status messages whose signature checks. It decodes
    only status messages (a few hundred bytes) and never copies an output frame. jupyter_server versions that
    filter states by the parent's message type (`track_message_type`) keep their own watch.
    """
    try:
        import hmac
        import json

        from jupyter_server._tz import utcnow
        from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    except ImportError:
        return False
    if getattr(MappingKernelManager, "_ki_light_activity", False):
        return True
    if hasattr(MappingKernelManager, "track_message_type"):
        return False
    original = MappingKernelManager.start_watching_activity
    delimiter = b"<IDS|MSG>"

    def start_watching_activity(self, kernel_id):
        original(self, kernel_id)
        kernel = self._kernels[kernel_id]
        stream = getattr(kernel, "_activity_stream", None)
        if stream is None:
            return
        session = kernel.session

        def record_activity(frames):
            self.last_kernel_activity = kernel.last_activity = utcnow()
            at = next((i for i, f in enumerate(frames) if len(f) == len(delimiter) and f.bytes == delimiter), -1)
            if at < 0 or len(frames) < at + 6:
                return
            try:
                header = frames[at + 2].bytes
                if json.loads(header).get("msg_type") != "status":
                    return
                signature, parent, metadata, content = (frames[at + i].bytes for i in (1, 3, 4, 5))
                if session.auth is not None and not hmac.compare_digest(
                    signature, session.sign([header, parent, metadata, content])
                ):
                    return
                state = json.loads(content).get("execution_state")
            except (ValueError, AttributeError):
                return
            if state is not None:
                kernel.execution_state = state

        # Replaces the callback of the stock watch; copy=False hands over frames without copying their bytes.
        stream.on_recv(record_activity, copy=False)

    MappingKernelManager.start_watching_activity = start_watching_activity
    MappingKernelManager._ki_light_activity = True
    return True


def tie_kernels_to_launcher():
    """Have Linux SIGKILL each kernel when this launcher dies, even by SIGKILL.

    ipykernel's own parent poller only notices re-parenting to PID 1; under a subreaper (systemd
    --user on desktops, tini in containers) orphaned kernels would live on. PR_SET_PDEATHSIG fires
    when the *thread* that forked the child exits, so it is only set for kernels started from the
    main (IOLoop) thread, which lives exactly as long as the launcher.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
        from jupyter_client.provisioning import local_provisioner
    except (ImportError, OSError, AttributeError) as err:
        log("kernels cannot be tied to the launcher: %s" % err)
        return False
    pr_set_pdeathsig = 1
    launcher_pid = os.getpid()
    original_launch = local_provisioner.launch_kernel

    def die_with_launcher():
        prctl(pr_set_pdeathsig, signal.SIGKILL)
        # The launcher may have died between fork and prctl; then no signal would ever come.
        if os.getppid() != launcher_pid:
            os._exit(1)

    def launch_kernel(cmd, **kwargs):
        if threading.current_thread() is threading.main_thread():
            before = kwargs.get("preexec_fn")
            kwargs["preexec_fn"] = die_with_launcher if before is None else lambda: (before(), die_with_launcher())
        return original_launch(cmd, **kwargs)

    local_provisioner.launch_kernel = launch_kernel
    return True


MEMORY_HISTORY_ARG = "--HistoryManager.hist_file=:memory:"


def is_ipykernel(cmd):
    """True for an ipykernel command line (`python -m ipykernel_launcher ...`, or the older `-m ipykernel`)."""
    return any(a == "-m" and b in ("ipykernel_launcher", "ipykernel") for a, b in zip(cmd, cmd[1:]))


def with_memory_history(cmd):
    """The kernel's command with in-memory IPython history, unless it is not ipykernel or sets its own file."""
    if not is_ipykernel(cmd) or any(arg.startswith("--HistoryManager.hist_file") for arg in cmd):
        return cmd
    return list(cmd) + [MEMORY_HISTORY_ARG]


def memory_history_for_kernels():
    """Start ipykernel kernels with in-memory IPython history, as nbclient does.

    Every IPython kernel otherwise opens the one sqlite file ~/.ipython/profile_default/history.sqlite and writes
    to it; many kernels at once contend for its lock (and a locked or corrupt file slows or breaks their start).
    `%history -g` then sees only the kernel's own session; the setting kernelIslands.python.persistentHistory
    (KI_IPYTHON_HISTORY=file) keeps the file. Pooled kernels are started here too, so they get it as well.
    """
    try:
        from jupyter_client.provisioning import local_provisioner
    except ImportError as err:
        log("kernels keep on-disk IPython history: %s" % err)
        return False
    original_launch = local_provisioner.launch_kernel

    def launch_kernel(cmd, **kwargs):
        return original_launch(with_memory_history(cmd), **kwargs)

    local_provisioner.launch_kernel = launch_kernel
    return True


ENVIRONMENT_KERNEL_PREFIX = "ki-env-"


def environment_python(kernel_name):
    """The interpreter a `ki-env-<hex>` kernel name stands for; None for every other name."""
    if not kernel_name.lower().startswith(ENVIRONMENT_KERNEL_PREFIX):
        return None
    try:
        python = bytes.fromhex(kernel_name[len(ENVIRONMENT_KERNEL_PREFIX):]).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    return python if os.path.isabs(python) else None


def environment_kernel_spec(python, spec_class):
    """An ipykernel kernelspec for `python`, with its environment's scripts first on PATH (so `!pip` is its pip)."""
    bin_dir = os.path.dirname(python)
    root = os.path.dirname(bin_dir)
    env = {"PATH": bin_dir + os.pathsep + "${PATH}"}
    if os.path.isfile(os.path.join(root, "pyvenv.cfg")):
        env["VIRTUAL_ENV"] = root
    elif os.path.isdir(os.path.join(root, "conda-meta")):
        env["CONDA_PREFIX"] = root
    return spec_class(
        argv=[python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="Python (%s)" % root,
        language="python",
        env=env,
        metadata={"debugger": True},
    )


def environment_kernel_specs():
    """Resolve `ki-env-<hex>` kernel names to a kernelspec of that Python, in memory and for this process only.

    Nothing is written to the user's Jupyter folders, and `/api/kernelspecs` does not list these: a context asks for
    its environment's kernel by name, and the server (which runs on our Python) starts that Python for it. Restarts
    after a crash ask for the same name, so a restarted kernel comes back in its own environment.
    """
    try:
        from jupyter_client.kernelspec import KernelSpecManager
    except ImportError as err:
        log("no kernels in project environments: %s" % err)
        return False
    if getattr(KernelSpecManager, "_ki_environments", False):
        return True
    original = KernelSpecManager.get_kernel_spec

    def get_kernel_spec(self, kernel_name):
        python = environment_python(kernel_name)
        if python is None:
            return original(self, kernel_name)
        return environment_kernel_spec(python, self.kernel_spec_class)

    KernelSpecManager.get_kernel_spec = get_kernel_spec
    KernelSpecManager._ki_environments = True
    return True


def effective_token(app):
    provider = getattr(app, "identity_provider", None)
    if provider is not None and hasattr(provider, "token"):
        return provider.token
    return app.token


class Lifeline:
    """Decides when the server stops: when its owner is gone for longer than the grace period.

    The first owner is the process that started us and holds our stdin pipe. Once the pipe closes,
    the server lives on for `grace_seconds` (reload survival). In that time a new extension host may
    claim it over HTTP (see LifelineHandler); from then on it owns a lease that its heartbeats renew,
    and the server stops when the lease runs out. Grace 0 keeps the old behaviour: stop at EOF.
    """

    def __init__(self, app, grace_seconds):
        self.app = app
        self.grace_seconds = grace_seconds
        self.pipe_open = True
        self.owner = None
        self.deadline = None
        self.stopping = False
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def watch_stdin(self):
        thread = threading.Thread(target=self._read_until_eof, name="ki-stdin", daemon=True)
        thread.start()

    def _read_until_eof(self):
        try:
            while os.read(0, 4096):
                pass
        except OSError as err:
            log("stdin read failed (%s); treating it as closed" % err)
        if self.grace_seconds <= 0:
            self.request_stop("parent pipe closed")
            return
        log("parent pipe closed; stopping in %s s unless adopted" % self.grace_seconds)
        with self._lock:
            self.pipe_open = False
            self.deadline = time.monotonic() + self.grace_seconds
        self._wait_for_deadline()

    def _wait_for_deadline(self):
        with self._lock:
            while not self.stopping:
                left = self.deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
        self.request_stop("no extension host for %s s" % self.grace_seconds)

    def handle(self, action, host, grace_seconds):
        """One lifeline request; returns (HTTP status, reason). Runs on the IOLoop thread."""
        if action == "stop":
            self.request_stop("stop requested over HTTP")
            return 200, "stopping"
        with self._lock:
            if self.stopping:
                return 410, "the server is stopping"
            if action == "claim":
                if self.pipe_open:
                    return 409, "the server is owned by the process that started it"
                self.owner = host
            elif self.owner != host:
                return 409, "the server is owned by another extension host"
            if action == "release":
                self.owner = None
            if grace_seconds is not None:
                self.grace_seconds = grace_seconds
            self.deadline = time.monotonic() + self.grace_seconds
            self._changed.notify_all()
        if self.grace_seconds <= 0 and action == "release":
            self.request_stop("released with no grace period")
        return 200, "ok"

    def install_signal_handlers(self):
        for name in ("SIGTERM", "SIGINT", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is not None:
                signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame):
        # Only schedule from here: logging inside a signal handler could re-enter a stderr write
        # the main thread was in the middle of.
        loop = self.app.io_loop
        schedule = getattr(loop, "add_callback_from_signal", loop.add_callback)
        schedule(self.request_stop, "signal %d" % signum)

    def request_stop(self, reason):
        """Stops the server (and its kernels) once; safe from any thread."""
        with self._lock:
            if self.stopping:
                return
            self.stopping = True
            self._changed.notify_all()
        log("stopping: %s" % reason)
        # app.stop() touches the HTTP server, so it must run on the IOLoop thread.
        self.app.io_loop.add_callback(self.app.stop)
        watchdog = threading.Thread(target=self._watchdog, name="ki-watchdog", daemon=True)
        watchdog.start()

    def _watchdog(self):
        threading.Event().wait(STOP_WATCHDOG_SECONDS)
        log("stop took longer than %s s; killing kernels" % STOP_WATCHDOG_SECONDS)
        for pid in kernel_pids(self.app):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError as err:
                log("could not kill kernel %d: %s" % (pid, err))
        os._exit(1)


def lifeline_handler_class():
    """`POST {base_url}ki/lifeline` with `{"action": "claim"|"heartbeat"|"release"|"stop", "host": id}`.

    Authenticated by our own token check rather than Jupyter's auth classes, whose names and
    decorators changed between jupyter_server 1.x and 2.x. The XSRF check is skipped on purpose:
    it protects cookie logins, and this endpoint accepts nothing but the token header.
    """
    import hmac

    from tornado import web

    class LifelineHandler(web.RequestHandler):
        def initialize(self, lifeline, token):
            self.lifeline = lifeline
            self.token = token

        def check_xsrf_cookie(self):
            return None

        def post(self):
            header = self.request.headers.get("Authorization", "")
            given = header[len("token "):] if header.startswith("token ") else ""
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                raise web.HTTPError(403)
            try:
                body = json.loads(self.request.body or b"{}")
                action = body["action"]
                host = str(body.get("host", ""))
                grace = body.get("graceSeconds")
                grace = None if grace is None else max(0.0, float(grace))
            except (ValueError, KeyError, TypeError):
                raise web.HTTPError(400)
            if action not in ("claim", "heartbeat", "release", "stop"):
                raise web.HTTPError(400)
            status, reason = self.lifeline.handle(action, host, grace)
            self.set_status(status)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"status": reason, "pid": os.getpid()}))

    return LifelineHandler


def add_lifeline_route(app, lifeline, token):
    from jupyter_server.utils import url_path_join

    route = url_path_join(app.base_url, "ki/lifeline")
    app.web_app.add_handlers(".*$", [(route, lifeline_handler_class(), {"lifeline": lifeline, "token": token})])


def kernel_pids(app):
    """Best-effort kernel process ids; attribute names differ across jupyter_client versions."""
    pids = []
    manager = getattr(app, "kernel_manager", None)
    kernels = getattr(manager, "_kernels", {}) if manager is not None else {}
    for km in list(kernels.values()):
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None) or getattr(km, "kernel", None)
        pid = getattr(process, "pid", None)
        if isinstance(pid, int):
            pids.append(pid)
    return pids


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

    patched = patch_websocket_nodelay()
    log("TCP_NODELAY on kernel websockets: %s" % (", ".join(patched) or "not available"))
    if patch_iopub_unbounded():
        log("iopub: no receive limit, so bursts of output are not dropped")
    if environment_kernel_specs():
        log("kernels may run in project environments (ki-env-* kernel names)")
    if tie_kernels_to_launcher():
        log("kernels die with the launcher (PR_SET_PDEATHSIG)")
    if patch_kernel_model_while_starting():
        log("kernels still starting are listed as starting")
    if patch_light_activity_watch():
        log("kernel activity: status messages decoded, other iopub messages only timed")
    history = os.environ.pop("KI_IPYTHON_HISTORY", "memory")
    if history != "file" and memory_history_for_kernels():
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
