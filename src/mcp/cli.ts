// The `kernel-islands-mcp` command: an MCP server on stdio (default) or Streamable HTTP (`--http`), with its own
// local Jupyter Server, started on first use and stopped when the command ends, or on a remote Jupyter Server
// (`--server`) or a JupyterHub user's server (`--hub`). Its options: cliOptions.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../common/log';
import { MCP_TOKEN_ENV, serverToken } from './bearerToken';
import { HUB_TOKEN_ENV, parseArgs, sandboxOptions, SERVER_TOKEN_ENV, USAGE } from './cliOptions';
import { serveHttp } from './httpTransport';
import { createMcpEngine, type McpEngine, type McpServerTarget } from './mcpEngine';
import { serveStdio } from './stdioTransport';

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

/** Where the kernels run, from the flags and, for a token, the environment only. */
function serverTarget(options: ReturnType<typeof parseArgs>, env: NodeJS.ProcessEnv): McpServerTarget {
  const tokenFrom = (name: string, flag: string): string => {
    const token = env[name]?.trim();
    if (!token) {
      throw new Error(`${flag} needs its token in the environment variable ${name} (never on the command line).`);
    }
    return token;
  };
  if (options.server !== undefined) {
    return { kind: 'remote', url: options.server, token: tokenFrom(SERVER_TOKEN_ENV, '--server') };
  }
  if (options.hub) {
    return {
      kind: 'hub',
      ...options.hub,
      token: tokenFrom(HUB_TOKEN_ENV, '--hub'),
      renewal: `Set ${HUB_TOKEN_ENV} to a new token and start kernel-islands-mcp again.`,
    };
  }
  return { kind: 'local' };
}

/** The first line a user reads: where contexts run and how they are isolated. */
function placementLine(engine: McpEngine, options: ReturnType<typeof parseArgs>, rootDir: string, islandsDir?: string) {
  if (engine.placement.remote) {
    return (
      `contexts run on ${engine.placement.description}; each session's kernels are deleted there when it ends, ` +
      'and nothing runs on this machine\n'
    );
  }
  return options.sandbox
    ? `contexts run sandboxed: ${options.network ? 'with' : 'no'} network, ${rootDir} read-only, ` +
        `${options.memoryMb ? `${options.memoryMb} MB` : 'no memory limit'}` +
        (islandsDir ? `; work folders kept in ${islandsDir}` : '') +
        '\n'
    : '--no-sandbox: contexts run unsandboxed and can reach your files, other kernels and local services\n';
}

/** Asks a remote server (a hub: without starting it) whether it answers, so a wrong URL or token shows at once. */
function checkRemote(engine: McpEngine, write: (line: string) => void): void {
  const provider = engine.jupyter;
  void (provider.peek ? provider.peek() : provider.getServer()).then(
    (connection) =>
      write(
        connection
          ? `${engine.placement.server} answers`
          : `${engine.placement.server} is not running: the hub starts it on the first run`,
      ),
    (err: unknown) =>
      write(
        `${engine.placement.server}: ${err instanceof Error ? err.message : String(err)} (each call will say so until it answers)`,
      ),
  );
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return;
  }
  const options = parseArgs(argv);
  const target = serverTarget(options, process.env);
  const logger = stderrLogger(options.verbose);
  const write = (line: string) => process.stderr.write(`[kernel-islands-mcp] ${line}\n`);
  const rootDir = options.rootDir || os.homedir();
  // Kept work folders must be findable afterwards: they go to a folder of ours that we name now.
  const islandsDir = options.keepFiles ? fs.mkdtempSync(path.join(os.tmpdir(), 'ki-islands-')) : undefined;
  const engine = createMcpEngine({
    target,
    report: write,
    python: options.python,
    rootDir,
    // A warm kernel on a remote server holds its resources (a GPU) for nobody: none unless asked for.
    warmKernels: options.warmKernels ?? (options.http && target.kind === 'local' ? 1 : 0),
    defaultKernel: options.kernel,
    limits: {
      idleShutdownMinutes: options.idleMinutes,
      maxContexts: options.maxContexts,
      runTimeoutSeconds: options.timeoutSeconds,
    },
    sandbox: sandboxOptions(options, rootDir, process.env),
    islandsDir,
    keepFiles: options.keepFiles,
    logger,
  });
  process.stderr.write(`[kernel-islands-mcp] ${placementLine(engine, options, rootDir, islandsDir)}`);
  if (engine.placement.remote) {
    checkRemote(engine, write);
  }
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
