"""When the launcher's server stops: the Lifeline, its `POST {base_url}ki/lifeline` route, and the stop itself.

Why it exists: the server must go away (with its kernels) when its owner goes away, even after a SIGKILL,
yet live through a window reload (reload survival). The owner is first the process holding our stdin pipe,
then an extension host that claims the server over HTTP and renews its lease by heartbeats. Whatever asks
the server to stop (EOF, a lapsed lease, a signal, an HTTP `stop`) goes through Lifeline.request_stop, which
kills the kernels itself if a polite stop takes too long.
"""

import json
import os
import signal
import threading
import time

from launcher_log import log

# How long a stop may take before we stop being polite and kill the kernels ourselves.
STOP_WATCHDOG_SECONDS = 15.0


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
                kill_hard(pid)
            except OSError as err:
                log("could not kill kernel %d: %s" % (pid, err))
        os._exit(1)


def kill_hard(pid):
    """Ends a process at once: SIGKILL, or on Windows (no SIGKILL there) SIGTERM, which is TerminateProcess."""
    os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))


def lifeline_handler_class():
    """`POST {base_url}ki/lifeline` with `{"action": "claim"|"heartbeat"|"release"|"stop", "host": id}`.

    Authenticated by our own token check rather than Jupyter's auth classes, whose names and
    decorators changed between jupyter_server 1.x and 2.x. The XSRF check is skipped on purpose:
    it protects cookie logins, and this endpoint accepts nothing but the token header.
    """
    from kernel_routes import token_authorized
    from tornado import web

    class LifelineHandler(web.RequestHandler):
        def initialize(self, lifeline, token):
            self.lifeline = lifeline
            self.token = token

        def check_xsrf_cookie(self):
            return None

        def post(self):
            if not token_authorized(self, self.token):
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
