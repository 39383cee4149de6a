"""The launcher's patches of Jupyter internals (jupyter_server, jupyter_client), each applied once in-process.

Why they exist: Jupyter Server's stock behaviour costs Kernel Islands latency, output or kernels, and none of it
can be changed by configuration. Each patch names the private class or function it wraps, checks that the
attribute is there (jupyter_server 1.x and 2.x differ), and answers whether it could apply, so a Jupyter that
changed its internals only loses the improvement, never the server. launcher.py applies them, in order, before
the ServerApp is created:

  patch_websocket_nodelay            no Nagle delay on kernel websockets
  patch_iopub_unbounded              no dropped output on the server's iopub SUB sockets
  environment_kernel_specs           `ki-env-<hex>` kernel names run a project's Python
  tie_kernels_to_launcher            kernels die with the launcher (Linux PR_SET_PDEATHSIG)
  patch_kernel_model_while_starting  `GET /api/kernels` lists a kernel that is still starting
  patch_light_activity_watch         the activity record without decoding every iopub message
  memory_history_for_kernels         IPython kernels keep their history in memory
"""

import os
import signal
import sys
import threading

from launcher_log import log


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
