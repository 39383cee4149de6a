// The `kernel-islands-mcp` command: an MCP server on stdio (default) or Streamable HTTP (`--http`), with its own
// local Jupyter Server, started on first use and stopped when the command ends.
import * as os from 'node:os';
import type { Logger } from '../common/log';
import { DEFAULT_AGENT_LIMITS } from '../kernels/agentLifecycle';
import { MCP_TOKEN_ENV, serverToken } from './bearerToken';
import { serveHttp } from './httpTransport';
import { createMcpEngine } from './mcpEngine';
import { serveStdio } from './stdioTransport';

const USAGE = `Usage: kernel-islands-mcp [--http] [--port N] [--python PATH] [--root DIR] [--warm-kernels N] [--kernel NAME]
                          [--idle-minutes N] [--max-contexts N] [--verbose]

  (default)         MCP over stdio: one session, its own Jupyter Server.
  --http            Streamable HTTP on 127.0.0.1 (one island per Mcp-Session-Id), bearer token from
                    ${MCP_TOKEN_ENV} or generated and printed to stderr once.
  --port N          HTTP port (default 0: a free port, printed to stderr).
  --python PATH     Python with jupyter_server and ipykernel (default: python3 on PATH, then /usr/bin/python3).
  --root DIR        Folder the kernels start in (default: the current folder).
  --warm-kernels N  Kernels kept ready for new contexts (default: 0 for stdio, 1 for HTTP).
  --kernel NAME     Kernelspec of contexts that name none (default: python3).
  --idle-minutes N  Shut a context's kernel down after N idle minutes (default ${DEFAULT_AGENT_LIMITS.idleShutdownMinutes}; 0: never).
  --max-contexts N  At most N contexts hold a kernel, over all sessions; the least recently used idle one goes
                    (default ${DEFAULT_AGENT_LIMITS.maxContexts}; 0: no cap). Its next run says its variables are gone.
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

/** Everything goes to stderr: stdout carries the stdio transport's messages. */
function stderrLogger(verbose: boolean): Logger {
  const write = (level: string, m: string | Error) =>
    process.stderr.write(`[kernel-islands-mcp] ${level}${m instanceof Error ? (m.stack ?? m.message) : m}\n`);
  return {
    info: (m) => verbose && write('', m),
    warn: (m) => write('warning: ', m),
    error: (m) => write('error: ', m),
  };
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return;
  }
  const options = parseArgs(argv);
  const logger = stderrLogger(options.verbose);
  const engine = createMcpEngine({
    python: options.python,
    rootDir: options.rootDir || os.homedir(),
    warmKernels: options.warmKernels ?? (options.http ? 1 : 0),
    defaultKernel: options.kernel,
    limits: { idleShutdownMinutes: options.idleMinutes, maxContexts: options.maxContexts },
    logger,
  });
  let stopping: Promise<void> | undefined;
  const stop = (close: () => Promise<void>) => {
    stopping ??= close()
      .catch((err: unknown) => logger.error(`Stopping: ${String(err)}`))
      .then(() => engine.dispose())
      .catch((err: unknown) => logger.error(`Stopping the Jupyter Server: ${String(err)}`));
    return stopping;
  };
  if (options.http) {
    const { token, generated } = serverToken(process.env);
    const http = await serveHttp(engine, { port: options.port, token, logger });
    process.stderr.write(`[kernel-islands-mcp] Streamable HTTP on ${http.url}\n`);
    if (generated) {
      process.stderr.write(`[kernel-islands-mcp] bearer token (set ${MCP_TOKEN_ENV} to choose your own): ${token}\n`);
    }
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => void stop(() => http.close()).then(resolve));
      }
    });
  } else {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => void stop(async () => undefined).then(() => process.exit(0)));
    }
    await stop(() => serveStdio(engine));
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[kernel-islands-mcp] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
