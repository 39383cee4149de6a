// The `kernel-islands-mcp` command line: its usage text, its parser, and the sandbox its flags describe.
import * as path from 'node:path';
import { isWithheldEnvName } from '../jupyter/sandboxProfile';
import { DEFAULT_AGENT_LIMITS } from '../kernels/agentLifecycle';
import { DEFAULT_AGENT_MEMORY_MB, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { MCP_TOKEN_ENV } from './bearerToken';

/** The default longest run of an MCP context, in seconds. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 600;

/** Environment variable holding the token of `--server` (never a command-line argument: argv is public). */
export const SERVER_TOKEN_ENV = 'KERNEL_ISLANDS_SERVER_TOKEN';
/** Environment variable holding the JupyterHub token of `--hub`. */
export const HUB_TOKEN_ENV = 'KERNEL_ISLANDS_HUB_TOKEN';

export const USAGE = `Usage: kernel-islands-mcp [--http] [--port N] [--python PATH] [--root DIR] [--warm-kernels N] [--kernel NAME]
                          [--idle-minutes N] [--max-contexts N] [--no-sandbox] [--network] [--env NAME]...
                          [--memory-mb N] [--timeout-seconds N] [--keep-files] [--verbose]
       kernel-islands-mcp --server URL [--http] [--port N] [--warm-kernels N] [--kernel NAME] [--idle-minutes N]
                          [--max-contexts N] [--timeout-seconds N] [--verbose]
       kernel-islands-mcp --hub URL --hub-user NAME [--hub-server NAME] [the same options as --server]

  (default)         MCP over stdio: one session, its own Jupyter Server.
  --server URL      Run every context's kernel on this Jupyter Server or gateway (base URL, e.g.
                    https://gpu-box:8888/jupyter/) instead of a local one; its token from ${SERVER_TOKEN_ENV}.
                    Each session's contexts get their own kernels there, deleted when the session ends. Isolation
                    is that server's: no local sandbox, so --python, --root, --no-sandbox, --network, --env,
                    --memory-mb and --keep-files do not apply. Never falls back to local kernels.
  --hub URL         Run every context's kernel on a JupyterHub user's server (token from ${HUB_TOKEN_ENV}, with
                    the access:servers and servers scopes for that user); the server is started through the hub
                    on first use, its progress on stderr. Isolation is the hub's (a container per user with
                    KubeSpawner). Same rules as --server.
  --hub-user NAME   The hub user whose server runs the kernels (with --hub).
  --hub-server NAME One of that user's named servers (default: the user's default server).
  --http            Streamable HTTP on 127.0.0.1 (one island per Mcp-Session-Id), bearer token from
                    ${MCP_TOKEN_ENV} or generated and printed to stderr once.
  --port N          HTTP port (default 0: a free port, printed to stderr).
  --python PATH     Python with jupyter_server and ipykernel (default: python3 on PATH, then the usual installs).
  --root DIR        Folder the kernels start in (default: the current folder).
  --warm-kernels N  Kernels kept ready for new contexts (default: 0 for stdio, 1 for HTTP, 0 with --server or --hub).
  --kernel NAME     Kernelspec of contexts that name none (default: python3).
  --idle-minutes N  Shut a context's kernel down after N idle minutes (default ${DEFAULT_AGENT_LIMITS.idleShutdownMinutes}; 0: never).
  --max-contexts N  At most N contexts hold a kernel, over all sessions; the least recently used idle one goes
                    (default ${DEFAULT_AGENT_LIMITS.maxContexts}; 0: no cap). Its next run says its variables are gone.
  --no-sandbox      Run contexts' kernels without a sandbox. By default each runs in its own (Linux, bubblewrap):
                    no other process, no network (not even localhost), the --root folder read-only, a private
                    work folder (its cwd and HOME, reachable with the file tools), a minimal environment. Where no
                    sandbox can be made (macOS, Windows, no bubblewrap) contexts refuse to start without this flag.
  --network         Let sandboxed kernels use the network: the internet and this machine's local services.
  --env NAME        Pass the environment variable NAME into the kernels (repeatable); nothing else of ours is.
  --memory-mb N     Memory (address space) per kernel in MB; past it an allocation fails (default ${DEFAULT_AGENT_MEMORY_MB}; 0: none).
  --timeout-seconds N  Longest run; past it the run is interrupted, or its kernel restarted (default ${DEFAULT_RUN_TIMEOUT_SECONDS}; 0: none).
  --keep-files      Keep contexts' work folders when their kernels end (default: removed with them).
  --verbose         Log the Jupyter Server's and kernels' lifecycle to stderr.
`;

interface CliOptions {
  http: boolean;
  port: number;
  python?: string;
  rootDir: string;
  warmKernels?: number;
  kernel: string;
  idleMinutes: number;
  maxContexts: number;
  sandbox: boolean;
  network: boolean;
  env: string[];
  memoryMb: number;
  timeoutSeconds: number;
  keepFiles: boolean;
  verbose: boolean;
  /** `--server`: a remote Jupyter Server's URL. */
  server?: string;
  /** `--hub`, `--hub-user`, `--hub-server`. */
  hub?: { url: string; user: string; serverName: string };
}

/** Flags that shape the local server and its sandbox: refused with --server and --hub, whose isolation is theirs. */
const LOCAL_ONLY_FLAGS = ['--python', '--root', '--no-sandbox', '--network', '--env', '--memory-mb', '--keep-files'];

/** Parses the command line; throws with the usage on anything it does not know. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    http: false,
    port: 0,
    rootDir: process.cwd(),
    kernel: 'python3',
    idleMinutes: DEFAULT_AGENT_LIMITS.idleShutdownMinutes,
    maxContexts: DEFAULT_AGENT_LIMITS.maxContexts,
    sandbox: true,
    network: false,
    env: [],
    memoryMb: DEFAULT_AGENT_MEMORY_MB,
    timeoutSeconds: DEFAULT_RUN_TIMEOUT_SECONDS,
    keepFiles: false,
    verbose: false,
  };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) {
      throw new Error(`${flag} needs a value.\n${USAGE}`);
    }
    return v;
  };
  const count = (v: string, flag: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`${flag} needs a whole number ≥ 0, not "${v}".`);
    }
    return n;
  };
  let hubUser: string | undefined;
  let hubServer: string | undefined;
  let hubUrl: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--server') {
      options.server = noTokenIn(value(i++, a), a, SERVER_TOKEN_ENV);
    } else if (a === '--hub') {
      hubUrl = noTokenIn(value(i++, a), a, HUB_TOKEN_ENV);
    } else if (a === '--hub-user') {
      hubUser = value(i++, a);
    } else if (a === '--hub-server') {
      hubServer = value(i++, a);
    } else if (a === '--server-token' || a === '--hub-token') {
      throw new Error(
        `The token is never a command-line argument (other users can read argv): set ${a === '--hub-token' ? HUB_TOKEN_ENV : SERVER_TOKEN_ENV}.`,
      );
    } else if (a === '--http') {
      options.http = true;
    } else if (a === '--verbose') {
      options.verbose = true;
    } else if (a === '--no-sandbox') {
      options.sandbox = false;
    } else if (a === '--network') {
      options.network = true;
    } else if (a === '--keep-files') {
      options.keepFiles = true;
    } else if (a === '--env') {
      options.env.push(envName(value(i++, a)));
    } else if (a === '--memory-mb') {
      options.memoryMb = count(value(i++, a), a);
    } else if (a === '--timeout-seconds') {
      options.timeoutSeconds = count(value(i++, a), a);
    } else if (a === '--port') {
      options.port = count(value(i++, a), a);
    } else if (a === '--python') {
      options.python = value(i++, a);
    } else if (a === '--root') {
      options.rootDir = value(i++, a);
    } else if (a === '--warm-kernels') {
      options.warmKernels = count(value(i++, a), a);
    } else if (a === '--idle-minutes') {
      options.idleMinutes = count(value(i++, a), a);
    } else if (a === '--max-contexts') {
      options.maxContexts = count(value(i++, a), a);
    } else if (a === '--kernel') {
      options.kernel = value(i++, a);
    } else if (a === '--token') {
      throw new Error(`The token is never a command-line argument (other users can read argv): set ${MCP_TOKEN_ENV}.`);
    } else {
      throw new Error(`Unknown argument "${a}".\n${USAGE}`);
    }
  }
  if (hubUrl !== undefined) {
    if (!hubUser) {
      throw new Error('--hub needs --hub-user NAME: the hub user whose server runs the kernels.');
    }
    options.hub = { url: hubUrl, user: hubUser, serverName: hubServer ?? '' };
  } else if (hubUser !== undefined || hubServer !== undefined) {
    throw new Error('--hub-user and --hub-server go with --hub URL.');
  }
  if (options.server !== undefined && options.hub) {
    throw new Error('Give --server or --hub, not both: every context runs on one server.');
  }
  const remote = options.server !== undefined ? '--server' : options.hub ? '--hub' : undefined;
  const local = argv.filter((a) => LOCAL_ONLY_FLAGS.includes(a));
  if (remote && local.length > 0) {
    throw new Error(
      `${local.join(', ')} shape${local.length === 1 ? 's' : ''} the local Jupyter Server and its sandbox; with ${remote} ` +
        "kernels run on that server, isolated by that server's own rules.",
    );
  }
  return options;
}

/** A server's URL as given on the command line: a `?token=` in it would put the token in argv. */
function noTokenIn(url: string, flag: string, env: string): string {
  if (/[?&]token=/i.test(url)) {
    throw new Error(
      `${flag}: the URL carries a token, and the token is never a command-line argument (other users can read argv): ` +
        `drop ?token=… from the URL and set ${env}.`,
    );
  }
  return url;
}

/** An environment variable's name for `--env`; our own tokens never go into a kernel. */
function envName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`--env takes a variable's name (letters, digits, _), not "${name}".`);
  }
  if (isWithheldEnvName(name)) {
    throw new Error(`--env ${name}: Kernel Islands' own variables and tokens are never passed into kernels.`);
  }
  return name;
}

/** The sandbox every context of this server runs in, from the command line and this process's environment. */
export function sandboxOptions(options: CliOptions, rootDir: string, env: NodeJS.ProcessEnv): AgentSandboxOptions {
  const named = options.env.flatMap((name) => (env[name] === undefined ? [] : [[name, env[name]] as const]));
  return {
    enabled: options.sandbox,
    offSwitch: 'the --no-sandbox flag of kernel-islands-mcp',
    profile: {
      readOnly: [path.resolve(rootDir)],
      network: options.network,
      memoryMb: options.memoryMb,
      env: Object.fromEntries(named),
    },
  };
}
