/**
 * `npm run bench:ui [-- --quick] [--only u1,u3] [--samples N] [--out FILE]` (run through `bench/ui/run.sh`, which
 * takes the machine-wide e2e lock, installs code-server and builds the vsix): what a user waits for in real VS Code.
 * code-server with Kernel Islands and the bench's host extension, headless chromium driven by keys (U1–U5), and the
 * engine-only time of the same code through the exported API in the same extension host, sample for sample.
 * Prints a Markdown table with the trace of where the time goes, and writes bench/ui-results.json.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { openWorkbench, type WorkbenchBrowser } from '../../test/e2e/lib/browser';
import { freePort, installExtensions, startCodeServer, type RunningCodeServer } from '../../test/e2e/lib/codeServer';
import { findMarkedProcesses, signalAll, waitUntilGone } from '../../test/e2e/lib/processes';
import { RUNNER_ENV } from '../../test/e2e/lib/report';
import { QUIET_SETTINGS, createRunDir, type RunDir } from '../../test/e2e/lib/runDir';
import { buildHelperVsix } from '../../test/e2e/lib/runnerVsix';
import { Workbench } from '../../test/e2e/ui/workbench';
import { makeRow } from '../report';
import { renderNotes, renderTable } from '../table';
import { measureU1, measureU2, measureU3, measureU4, measureU5, type FigureContext, type FigureData } from './figures';
import { BenchHost } from './hostClient';
import { HOST_ENV } from './hostProtocol';
import { installProbes, installSocketProbe } from './pageProbes';
import { waitForKernels } from './settle';
import { parseUiArgs, type UiBenchConfig, type UiFigure } from '../options';
import { renderTraces, uiRows } from './uiRows';
import { writeWorkspace } from './workspace';

const REPO = resolve(__dirname, '..', '..');
const ARTIFACTS = join(REPO, 'bench', 'ui-artifacts');
/** `kernelIslands.warmKernels` (the default): the pool the "new context" figures take from. */
const POOL_SIZE = 2;

const progress = (message: string) =>
  process.stderr.write(`[bench:ui ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

interface Live {
  run?: RunDir;
  server?: RunningCodeServer;
  browser?: WorkbenchBrowser;
}

async function measure(
  config: UiBenchConfig,
  live: Live,
  runId: string,
  failures: Record<string, string>,
): Promise<Record<string, FigureData>> {
  const codeServer = process.env.KI_CODE_SERVER;
  if (!codeServer || !existsSync(codeServer)) {
    throw new Error('KI_CODE_SERVER must name the code-server wrapper (run `npm run bench:ui`, which installs it)');
  }
  const productVsix = resolve(process.env.KI_E2E_PRODUCT_VSIX ?? join(REPO, 'dist', 'kernel-islands.vsix'));
  if (!existsSync(productVsix)) {
    throw new Error(`${productVsix} is missing: run \`npm run package\` first`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const seed = mkdtempSync(join(os.tmpdir(), 'ki-bench-ui-seed-'));
  const run = (live.run = createRunDir({
    workspaceSource: seed,
    settings: {
      ...QUIET_SETTINGS,
      'kernelIslands.pythonPath': config.python,
      'kernelIslands.warmKernels': POOL_SIZE,
      // U5 shows all 10,000 lines, so "the last line visible" means line 10,000 (the default keeps 5,000).
      'kernelIslands.results.maxOutputLines': 20_000,
      'notebook.output.textLineLimit': 30,
      'files.hotExit': 'off',
    },
  }));
  rmSync(seed, { recursive: true, force: true });
  const files = writeWorkspace(run.workspace, config.samples);
  const port = await freePort();
  const token = randomUUID();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [RUNNER_ENV.runId]: runId,
    [HOST_ENV.port]: String(port),
    [HOST_ENV.token]: token,
    KI_TRACE: '1',
    TMPDIR: run.tmpDir,
  };
  const hostVsix = await buildHelperVsix(REPO, join(REPO, 'bench', 'ui', 'hostExtension'), run.root);
  await installExtensions(codeServer, run, [productVsix, hostVsix], env);
  live.server = await startCodeServer({ codeServer, run, env, logFile: join(ARTIFACTS, 'code-server.log') });
  progress(`code-server ${live.server.url} (pid ${live.server.pid}), sandbox ${run.root}`);
  live.browser = await openWorkbench({
    url: live.server.url,
    env,
    consoleLog: join(ARTIFACTS, 'browser-console.log'),
    beforeLoad: installSocketProbe,
  });
  const host = new BenchHost(port, token);
  const ready = await host.waitReady(120_000);
  progress(`VS Code ${ready.vscode}, host Node ${ready.node}, tracing ${ready.tracing ? 'on' : 'OFF'}`);
  // The local Jupyter Server and the warm pool start on first use: start them before any figure.
  const warm = await host.call('execute', { target: 'bench-ui-warm-up', code: '1+1', count: 1, shutdownAfter: true });
  progress(`Jupyter Server and first kernel: ${warm.ms[0].toFixed(0)} ms`);
  const page = live.browser.page;
  await installProbes(page);
  const wb = new Workbench(page, ARTIFACTS);
  const serverPid = live.server.pid;
  const ctx: FigureContext = {
    wb,
    host,
    workspace: run.workspace,
    artifacts: ARTIFACTS,
    samples: config.samples,
    progress,
    settle: () => waitForKernels(serverPid, async () => (await host.call('contexts', {})).contexts.length + POOL_SIZE),
  };
  const data: Record<string, FigureData> = {};
  const figures: Array<[UiFigure, () => Promise<FigureData>]> = [
    ['u1', () => measureU1(ctx)],
    ['u2', () => measureU2(ctx, files.u2)],
    ['u3', () => measureU3(ctx)],
    ['u4', () => measureU4(ctx, files.u4)],
    ['u5', () => measureU5(ctx)],
  ];
  for (const [id, fn] of figures) {
    if (!config.only.has(id)) {
      continue;
    }
    progress(`${id.toUpperCase()}: ${config.samples} samples (load ${os.loadavg()[0].toFixed(2)})`);
    try {
      data[id] = await fn();
    } catch (err) {
      // One figure's failure must not lose the others: say so, leave it out, and go on from a clean editor area.
      failures[id] = err instanceof Error ? err.message : String(err);
      progress(`${id.toUpperCase()} failed: ${failures[id].slice(0, 2000)}`);
      await wb.runCommand('View: Revert and Close Editor').catch(() => undefined);
      await closeAllEditors(host).catch(() => undefined);
    } finally {
      await wb.screenshot(`bench-ui-${id}`).catch(() => undefined);
    }
  }
  return data;
}

async function closeAllEditors(host: BenchHost): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await host.call('command', { command: 'workbench.action.revertAndCloseActiveEditor' });
  }
}

/** Closes chromium and code-server, then ends whatever of this run is left (found by its environment marker). */
async function teardown(live: Live, runId: string): Promise<void> {
  const { browser, server, run } = live;
  live.browser = live.server = live.run = undefined;
  await browser?.close().catch((err: unknown) => progress(`closing chromium failed: ${String(err)}`));
  await server?.stop();
  const left = await waitUntilGone([], RUNNER_ENV.runId, runId, 45_000);
  if (left.length > 0) {
    progress(`${left.length} process(es) of this run still alive 45 s after stop; killing them`);
    signalAll(
      left.map((p) => p.pid),
      'SIGKILL',
    );
  }
  run?.remove();
  const stray = await findMarkedProcesses(RUNNER_ENV.runId, runId);
  if (stray.length > 0) {
    signalAll(
      stray.map((p) => p.pid),
      'SIGKILL',
    );
  }
}

async function main(): Promise<number> {
  const config = parseUiArgs(process.argv.slice(2), process.env);
  const started = Date.now();
  const loadBefore = os.loadavg();
  const runId = randomUUID();
  const live: Live = {};
  let tearingDown: Promise<void> | undefined;
  const teardownOnce = () => (tearingDown ??= teardown(live, runId));
  const interrupted = () => void teardownOnce().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  progress(
    `mode ${config.quick ? 'quick' : 'full'}, ${config.samples} samples; load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  let data: Record<string, FigureData>;
  const failures: Record<string, string> = {};
  try {
    data = await measure(config, live, runId, failures);
  } finally {
    await teardownOnce();
  }
  const rows = uiRows(data).map(makeRow);
  const seconds = (Date.now() - started) / 1000;
  const machine = {
    cpus: os.cpus().length,
    node: process.version,
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
  };
  const traces = renderTraces(data);
  const file = resolve(config.resultsPath);
  const output = {
    when: new Date(started).toISOString(),
    seconds,
    config: { ...config, only: [...config.only] },
    machine,
    rows,
    traces,
    failures,
    raw: data,
  };
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  const heading =
    `Kernel Islands UI bench (${config.quick ? 'quick' : 'full'}, ${seconds.toFixed(0)} s, ${machine.cpus} CPUs, ` +
    `load ${loadBefore[0].toFixed(2)} -> ${machine.loadAverageAfter[0].toFixed(2)})`;
  process.stdout.write(`\n${heading}\n\n${renderTable(rows, { difference: true })}\n\nNotes:\n${renderNotes(rows)}\n`);
  process.stdout.write(`\nWhere the time goes (median ms after the keydown, per mark):\n${traces.text}\n`);
  process.stdout.write(`\nWrote ${relative(process.cwd(), file)}\n`);
  const missed = rows.filter((row) => row.met === false).map((row) => row.id);
  if (missed.length > 0) {
    process.stdout.write(`Goals missed: ${missed.join(', ')}\n`);
  }
  const failed = Object.keys(failures);
  if (failed.length > 0) {
    process.stdout.write(`Figures that failed (not in the table): ${failed.join(', ')}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
