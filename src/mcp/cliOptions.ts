// The `kernel-islands-mcp` command line: its usage text, its parser, and the sandbox its flags describe.
import * as path from 'node:path';
import { isWithheldEnvName } from '../jupyter/sandboxProfile';
import { DEFAULT_AGENT_LIMITS } from '../kernels/agentLifecycle';
import { DEFAULT_AGENT_MEMORY_MB, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { MCP_TOKEN_ENV } from './bearerToken';

/** The default longest run of an MCP context, in seconds. */
export const DEFAULT_RUN_TIMEOUT_SECONDS = 600;

export const USAGE = `Usage: kernel-islands-mcp [--http] [--port N] [--python PATH] [--root DIR] [--warm-kernels N] [--kernel NAME]
                          [--idle-minutes N] [--max-contexts N] [--no-sandbox] [--network] [--env NAME]...
                          [--memory-mb N] [--timeout-seconds N] [--keep-files] [--verbose]

  (default)         MCP over stdio: one session, its own Jupyter Server.
  --http            Streamable HTTP on 127.0.0.1 (one island per Mcp-Session-Id), bearer token from
                    ${MCP_TOKEN_ENV} or generated and printed to stderr once.
  --port N          HTTP port (default 0: a free port, printed to stderr).
  --python PATH     Python with jupyter_server and ipykernel (default: python3 on PATH, then the usual installs).
  --root DIR        Folder the kernels start in (default: the current folder).
  --warm-kernels N  Kernels kept ready for new contexts (default: 0 for stdio, 1 for HTTP).
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
}

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
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--http') {
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
  return options;
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
