// The `kernel-islands-mcp` command: an MCP server on stdio (default) or Streamable HTTP (`--http`), with its own
// local Jupyter Server, started on first use and stopped when the command ends. Its options: cliOptions.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../common/log';
import { MCP_TOKEN_ENV, serverToken } from './bearerToken';
import { parseArgs, sandboxOptions, USAGE } from './cliOptions';
import { serveHttp } from './httpTransport';
import { createMcpEngine } from './mcpEngine';
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

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return;
  }
  const options = parseArgs(argv);
  const logger = stderrLogger(options.verbose);
  const rootDir = options.rootDir || os.homedir();
  // Kept work folders must be findable afterwards: they go to a folder of ours that we name now.
  const islandsDir = options.keepFiles ? fs.mkdtempSync(path.join(os.tmpdir(), 'ki-islands-')) : undefined;
  process.stderr.write(
    options.sandbox
      ? `[kernel-islands-mcp] contexts run sandboxed: ${options.network ? 'with' : 'no'} network, ${rootDir} read-only, ` +
          `${options.memoryMb ? `${options.memoryMb} MB` : 'no memory limit'}` +
          (islandsDir ? `; work folders kept in ${islandsDir}` : '') +
          '\n'
      : '[kernel-islands-mcp] --no-sandbox: contexts run unsandboxed and can reach your files, other kernels and local services\n',
  );
  const engine = createMcpEngine({
    python: options.python,
    rootDir,
    warmKernels: options.warmKernels ?? (options.http ? 1 : 0),
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
