"""Sandboxes for agents' kernels: the launcher's one platform seam for isolation (Linux: bubblewrap).

An agent's code is untrusted (a model wrote it; a prompt injection may steer it). A kernel named
`ki-sbx-<profile id>-<kernel name>` runs `<kernel name>`'s command inside a bubblewrap sandbox described by a
profile the extension registered (PUT {base_url}ki/sandboxes/{id}):

  - its own user, PID, IPC, UTS and network namespaces: it sees only its own processes, and no network at all,
    not even this machine's loopback (so no Jupyter Server, MCP port or local service), unless the profile opts in;
  - its own mount namespace: /usr, /etc (password hashes masked) and the interpreter read-only, the profile's
    read-only folders (the project) at their own paths, a private /tmp, and its island folder: its own
    connection file, its ZMQ sockets and its writable work folder (cwd and HOME). Nothing else of the home folder,
    no other kernel's connection file or socket, no runtime folder of ours;
  - a minimal environment: an allow-list plus what the profile names; never a token of ours;
  - an address-space limit (RLIMIT_AS) when the profile sets memory_mb: an allocation past it is a MemoryError.

Its channels cannot use TCP (no loopback), so a sandboxed kernel's connection file says `"transport": "ipc"`
with sockets in its island folder, bound at the same path inside the sandbox, where the server (and the
extension's direct ZMQ transport) reach them. Interrupts are SIGINT to the process group, as for any local
kernel; bubblewrap starts with SIGINT ignored so that the signal reaches the kernel without ending the sandbox.

Where no sandbox is possible (not Linux, no bubblewrap, user namespaces disabled) the profile is refused with the
reason and the kernel never starts: callers fail closed.
"""

import json
import os
import re
import shutil
import subprocess
import sys

SANDBOX_KERNEL_PREFIX = "ki-sbx-"
_SANDBOX_NAME = re.compile(r"^ki-sbx-([0-9a-f]{12})-(.+)$")

# Environment variables a sandboxed kernel keeps from the environment it would have had (the kernelspec's env
# applied): locale, terminal, the environment's own Python variables and the numeric libraries' settings.
ALLOWED_ENV = re.compile(
    r"^(PATH|LANG|LANGUAGE|LC_[A-Z]+|TERM|TZ|VIRTUAL_ENV|CONDA_PREFIX|CONDA_DEFAULT_ENV|MPLBACKEND|"
    r"PYDEVD_DISABLE_FILE_VALIDATION|PYTHONIOENCODING|PYTHONUNBUFFERED|PYTHONDONTWRITEBYTECODE|"
    r"OPENBLAS_[A-Z0-9_]+|OMP_NUM_THREADS|MKL_NUM_THREADS|NUMEXPR_NUM_THREADS|R_HOME|R_LIBS_SITE)$"
)
# Files under /etc a sandbox must not read even when it runs as root on the host.
MASKED_ETC_FILES = ("shadow", "shadow-", "gshadow", "gshadow-", "sudoers")
# Top-level folders that are links into /usr on merged-/usr systems (or folders to bind read-only elsewhere).
SYSTEM_LINK_DIRS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


def temporary_islands_dir():
    """A new private folder for this server's islands (short, so socket paths stay within 107 bytes)."""
    import tempfile

    return tempfile.mkdtemp(prefix="ki-islands-")


def sandbox_kernel(kernel_name):
    """(profile id, base kernel name) for a sandboxed kernel's name; None for every other name."""
    match = _SANDBOX_NAME.match(kernel_name or "")
    return (match.group(1), match.group(2)) if match else None


class SandboxUnavailable(Exception):
    """No sandbox can be made here; the message says why."""


class Sandboxes:
    """The profiles registered by the extension, this machine's ability to sandbox, and each kernel's island."""

    def __init__(self, islands_dir, bwrap="bwrap", keep_islands=False):
        self.islands_dir = islands_dir
        self.bwrap = bwrap
        self.keep_islands = keep_islands
        self.profiles = {}
        self._unavailable = None
        self._checked = False

    # -- availability -------------------------------------------------------------------------------------------

    def check(self):
        """None when sandboxes work here, else the reason (asked once: it runs bubblewrap)."""
        if not self._checked:
            self._unavailable = self._probe()
            self._checked = True
        return self._unavailable

    def _probe(self):
        if not sys.platform.startswith("linux"):
            return "kernel sandboxes need Linux (bubblewrap); this is %s" % sys.platform
        if not self.islands_dir:
            return "the launcher was started without an islands folder"
        path = shutil.which(self.bwrap)
        if path is None:
            return "bubblewrap (%s) is not installed: install the bubblewrap package (Debian: apt install bubblewrap)" % (
                self.bwrap
            )
        self.bwrap = path
        probe = [path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "true"]
        try:
            done = subprocess.run(probe, capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired) as err:
            return "bubblewrap could not run: %s" % err
        if done.returncode != 0:
            why = done.stderr.decode("utf-8", "replace").strip() or "exit %d" % done.returncode
            return "bubblewrap cannot create a sandbox here (user namespaces disabled?): %s" % why
        return None

    # -- profiles -----------------------------------------------------------------------------------------------

    def register(self, profile_id, body):
        """Stores a profile; raises SandboxUnavailable when no sandbox can be made, ValueError on bad input."""
        if not re.fullmatch(r"[0-9a-f]{12}", profile_id):
            raise ValueError("a profile id is 12 hex digits")
        reason = self.check()
        if reason is not None:
            raise SandboxUnavailable(reason)
        self.profiles[profile_id] = validate_profile(body)

    def profile(self, profile_id):
        profile = self.profiles.get(profile_id)
        if profile is None:
            raise SandboxUnavailable("sandbox profile %s is not registered with this server" % profile_id)
        return profile

    # -- islands ------------------------------------------------------------------------------------------------

    def island(self, kernel_id):
        """The kernel's own folder: connection file, sockets, and `home` (its cwd and HOME)."""
        if not re.fullmatch(r"[\w-]+", kernel_id or ""):
            raise ValueError("bad kernel id")
        return os.path.join(self.islands_dir, kernel_id)

    def prepare_island(self, kernel_id):
        folder = self.island(kernel_id)
        os.makedirs(os.path.join(folder, "home"), mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
        return folder

    def remove_island(self, kernel_id):
        if not self.keep_islands:
            shutil.rmtree(self.island(kernel_id), ignore_errors=True)

    def command(self, profile, folder, cmd, env):
        """The bubblewrap command line that runs `cmd` (with `env` filtered) in the island `folder`."""
        home = os.path.join(folder, "home")
        argv = [self.bwrap, "--unshare-all", "--die-with-parent"]
        if profile["network"]:
            argv.append("--share-net")
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            # Root on the host: drop every capability inside, so the sandbox cannot remount its way out.
            argv += ["--cap-drop", "ALL"]
        argv += ["--ro-bind", "/usr", "/usr"]
        for name in SYSTEM_LINK_DIRS:
            host = "/" + name
            if os.path.islink(host):
                argv += ["--symlink", os.readlink(host), host]
            elif os.path.isdir(host):
                argv += ["--ro-bind", host, host]
        argv += ["--ro-bind", "/etc", "/etc"]
        for name in MASKED_ETC_FILES:
            if os.path.exists("/etc/" + name):
                argv += ["--ro-bind", "/dev/null", "/etc/" + name]
        if profile["network"] and os.path.exists("/run/systemd/resolve"):
            argv += ["--ro-bind", "/run/systemd/resolve", "/run/systemd/resolve"]
        argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        shown = read_only_paths(profile, cmd, env)
        for path in shown:
            argv += ["--ro-bind", path, path]
        # A read-only folder may hold other kernels' connection files (a project at the home folder holds Jupyter's
        # runtime folder; one in /tmp may hold the islands): those stay hidden behind an empty folder.
        for private in (self.islands_dir, jupyter_runtime_dir()):
            if private and os.path.isdir(private) and any(is_within(private, path) for path in shown):
                argv += ["--tmpfs", private]
        argv += ["--bind", folder, folder, "--chdir", home, "--clearenv"]
        for name, value in sandbox_env(profile, env, home).items():
            argv += ["--setenv", name, value]
        return argv + ["--"] + list(cmd)

    def limits(self, profile):
        """A preexec function for the sandbox's processes: the profile's limits, and SIGINT ignored in bubblewrap.

        Interrupts are SIGINT to the process group, as for any local kernel: the signal is sent and has landed
        before the interrupt returns. Bubblewrap would die of it (ending the kernel), so the sandbox starts with
        SIGINT ignored, which bubblewrap's processes keep; ipykernel installs its own handler around each run, so
        the kernel is interrupted as usual. (An `interrupt_request` message was tried first: it is handled later
        on the kernel's control thread, and its SIGINT could hit the next request while it was being dispatched,
        which then never got a reply.)
        """
        memory_mb = profile["memory_mb"]
        limit = memory_mb * 1024 * 1024

        def apply():
            import resource
            import signal

            signal.signal(signal.SIGINT, signal.SIG_IGN)
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

        return apply


def validate_profile(body):
    """A profile from the extension's JSON, checked field by field."""
    if not isinstance(body, dict):
        raise ValueError("a profile is a JSON object")
    read_only = body.get("read_only", [])
    if not isinstance(read_only, list) or not all(isinstance(p, str) and os.path.isabs(p) for p in read_only):
        raise ValueError("read_only is a list of absolute paths")
    env = body.get("env", {})
    if not isinstance(env, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise ValueError("env maps names to strings")
    memory_mb = body.get("memory_mb", 0)
    if not isinstance(memory_mb, int) or memory_mb < 0:
        raise ValueError("memory_mb is a whole number >= 0")
    return {
        "read_only": [os.path.normpath(p) for p in read_only],
        "network": body.get("network") is True,
        "memory_mb": memory_mb,
        "env": dict(env),
    }


def read_only_paths(profile, cmd, env):
    """The profile's folders plus the interpreter's own (a venv, a pyenv or conda Python), existing ones only."""
    paths = list(profile["read_only"])
    program = cmd[0] if cmd else ""
    if not os.path.isabs(program):
        program = shutil.which(program, path=env.get("PATH")) or ""
    if program:
        for candidate in (program, os.path.realpath(program)):
            prefix = os.path.dirname(os.path.dirname(candidate))
            if prefix and prefix != "/" and not prefix.startswith("/usr"):
                paths.append(prefix)
    for name in ("VIRTUAL_ENV", "CONDA_PREFIX"):
        if env.get(name):
            paths.append(env[name])
    seen = []
    for path in paths:
        if os.path.exists(path) and path not in seen:
            seen.append(path)
    return seen


def is_within(path, folder):
    """True when `path` is `folder` or lies inside it."""
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def jupyter_runtime_dir():
    """Where Jupyter keeps kernels' connection files (None when jupyter_core is missing)."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir as runtime_dir
    except ImportError:
        return None
    return runtime_dir()


def sandbox_env(profile, env, home):
    """The allow-listed part of the kernel's environment, the profile's own variables, and the island's HOME."""
    kept = {name: value for name, value in env.items() if ALLOWED_ENV.match(name)}
    kept.update(profile["env"])
    kept["HOME"] = home
    # ipykernel: parent 1 means "no parent to watch" (bubblewrap's init is PID 1 inside; it dies with us).
    kept["JPY_PARENT_PID"] = "1"
    kept.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return kept


def island_kernel_manager_class(base, sandboxes):
    """A subclass of the server's kernel manager class that starts `ki-sbx-*` kernels in their sandbox."""

    class IslandKernelManager(base):
        def _island(self):
            parsed = sandbox_kernel(self.kernel_name)
            return (parsed[0], sandboxes.profile(parsed[0])) if parsed else None

        async def pre_start_kernel(self, **kw):
            sandbox = self._island()
            if sandbox is None:
                return await super().pre_start_kernel(**kw)
            _, profile = sandbox
            kernel_id = self.kernel_id or kw.get("kernel_id")
            if not kernel_id:
                import uuid

                kernel_id = str(uuid.uuid4())
                kw["kernel_id"] = kernel_id
            folder = sandboxes.prepare_island(kernel_id)
            self.transport = "ipc"
            self.ip = os.path.join(folder, "k")
            # Named as the server names connection files, so process scans recognise the kernel by its id.
            self.connection_file = os.path.join(folder, "kernel-%s.json" % kernel_id)
            kw["cwd"] = os.path.join(folder, "home")
            cmd, kw = await super().pre_start_kernel(**kw)
            env = kw.get("env") or dict(os.environ)
            cmd = sandboxes.command(profile, folder, cmd, env)
            kw["env"] = {"PATH": env.get("PATH", "/usr/bin:/bin")}
            kw["preexec_fn"] = sandboxes.limits(profile)
            return cmd, kw

        async def cleanup_resources(self, restart=False):
            await super().cleanup_resources(restart=restart)
            if not restart and sandbox_kernel(self.kernel_name) and self.kernel_id:
                sandboxes.remove_island(self.kernel_id)

    IslandKernelManager.__name__ = "Island" + base.__name__
    return IslandKernelManager


def install(app, sandboxes, log):
    """Makes the running server start `ki-sbx-*` kernels in sandboxes. False when its kernel manager cannot."""
    import asyncio

    from jupyter_client.kernelspec import KernelSpecManager
    from traitlets.utils.importstring import import_item

    manager = app.kernel_manager
    base = import_item(manager.kernel_manager_class) if isinstance(manager.kernel_manager_class, str) else None
    base = base or manager.kernel_manager_class
    if not asyncio.iscoroutinefunction(getattr(base, "pre_start_kernel", None)):
        log("kernel sandboxes: the server's kernel manager (%s) is not asynchronous" % base)
        return False
    island_class = island_kernel_manager_class(base, sandboxes)
    module = sys.modules[__name__]
    setattr(module, island_class.__name__, island_class)
    manager.kernel_manager_class = "%s.%s" % (__name__, island_class.__name__)

    original = KernelSpecManager.get_kernel_spec

    def get_kernel_spec(self, kernel_name):
        parsed = sandbox_kernel(kernel_name)
        if parsed is None:
            return original(self, kernel_name)
        sandboxes.profile(parsed[0])
        return self.get_kernel_spec(parsed[1])

    KernelSpecManager.get_kernel_spec = get_kernel_spec
    return True


def add_sandbox_routes(app, sandboxes, token):
    """PUT {base_url}ki/sandboxes/{id} (token header): registers a profile; 409 with the reason where none works."""
    from jupyter_server.utils import url_path_join
    from kernel_routes import token_authorized
    from tornado import web

    class SandboxHandler(web.RequestHandler):
        def check_xsrf_cookie(self):
            pass

        def prepare(self):
            if not token_authorized(self, token):
                raise web.HTTPError(403)

        def put(self, profile_id):
            self.set_header("Content-Type", "application/json")
            try:
                sandboxes.register(profile_id, json.loads(self.request.body or b"{}"))
            except SandboxUnavailable as err:
                self.set_status(409)
                self.finish(json.dumps({"reason": str(err)}))
                return
            except ValueError as err:
                self.set_status(400)
                self.finish(json.dumps({"reason": str(err)}))
                return
            self.finish(json.dumps({"id": profile_id, "islands": sandboxes.islands_dir}))

    route = url_path_join(app.base_url, r"/ki/sandboxes/(?P<profile_id>[0-9a-f]+)")
    app.web_app.add_handlers(".*$", [(route, SandboxHandler)])
