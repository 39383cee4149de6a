/**
 * `npm run bench [-- --quick]`: the engine against raw baselines, measured in the same run, on a real
 * Jupyter Server with real kernels and no VS Code. Prints a Markdown table and writes bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalJupyterServer } from '../src/jupyter/localServer';
import { findPython } from '../src/python/pythonFinder';
import { benchEngine, type Engine } from './engine';
import { parseArgs, type BenchConfig, type Figure } from './options';
import { debugRows, measureDebug, type DebugData } from './d1Debug';
import { measureP1, p1Rows, type P1Data } from './p1FirstResult';
import { measureP2, measureStockServer, p2Rows, type P2Data } from './p2RoundTrip';
import { measureP3, p3Rows, type P3Data } from './p3Scale';
import { measureP4, p4Rows, type P4Data } from './p4Flood';
import { measureP5, p5Rows } from './p5Install';
import { measureP6, p6Rows, type P6Data } from './p6Environments';
import { measureS2, s2NotMeasured, s2Rows } from './s1Sandbox';
import { startPlainServer } from './plainServer';
import { measureStatementRange, statementRangeRows } from './statementRange';
import { inspectRows, measureInspect, type InspectData } from './wbInspect';
import { runPythonBaseline, type PythonBaseline } from './pythonBaseline';
import { makeRow, type RowInput } from './report';
import { withDeadline } from './stats';
import { renderNotes, renderTable } from './table';

const progress = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/**
 * @jupyterlab/services prints "Starting WebSocket" and "Kernel: dead" through the console; both paths
 * print them alike, so they are counted and dropped rather than allowed to bury the table.
 */
function silenceLibraryConsole(): { restore(): void; dropped(): number } {
  const saved = { log: console.log, info: console.info, debug: console.debug, warn: console.warn };
  let dropped = 0;
  const drop = () => void dropped++;
  Object.assign(console, { log: drop, info: drop, debug: drop, warn: drop });
  return { restore: () => Object.assign(console, saved), dropped: () => dropped };
}

/** Runs the chosen P1–P4 on one local server; every kernel and server started here is stopped before it returns. */
async function measureKernelFigures(config: BenchConfig, results: Record<string, unknown>) {
  const provider = new LocalJupyterServer({ python: config.python, rootDir: os.tmpdir() });
  let engine: Engine | undefined;
  const rows: RowInput[] = [];
  const want = (figure: Figure) => config.only.has(figure);
  try {
    const server = await provider.getServer();
    results.serverStartMs = provider.lastStartDurationMs;
    progress(`server ready in ${provider.lastStartDurationMs?.toFixed(0)} ms; filling the pool (${config.poolSize})`);
    engine = benchEngine(provider, config.poolSize);
    if (want('p1')) {
      progress('P1 first result in a new context');
      results.p1 = await measureP1(engine, provider, config);
      rows.push(...p1Rows(results.p1 as P1Data, config));
    }
    const python = want('p2') || want('p4') ? await pythonBaseline(config, 'first') : undefined;
    if (want('p2') && python) {
      progress('P2 round trips');
      // The same registry on the server websocket (transport "server"), measured in the same run for comparison.
      const serverEngine = benchEngine(provider, 0, { transport: 'server' });
      const p2 = await measureP2(engine, serverEngine, server.settings, config).finally(() =>
        withDeadline(serverEngine.disposeAsync(), 60_000, 'server-transport engine dispose'),
      );
      if (config.noDelayCompareRoundTrips > 0) {
        p2.rawStockServer = await stockServerRoundTrips(config);
      }
      results.p2 = p2;
    }
    if (want('p4') && python) {
      progress('P4 output flood');
      results.p4 = await measureP4(engine, server.settings, config);
    }
    if (python) {
      if (!config.quick) {
        // A second run after P2/P4, so drifting machine load weighs on baseline (a) as on the Node paths.
        mergePythonBaselines(python, await pythonBaseline(config, 'second'));
      }
      results.pythonBaseline = python;
      rows.push(...(results.p2 ? p2Rows(results.p2 as P2Data, python) : []));
      rows.push(...(results.p4 ? p4Rows(results.p4 as P4Data, python) : []));
    }
    if (want('w1')) {
      progress('W1 variables listing and data viewer paging (10M rows)');
      results.w1 = await measureInspect(engine, config);
      rows.push(...inspectRows(results.w1 as InspectData));
    }
    if (want('d1')) {
      progress('D1 Debug Cell to paused at the breakpoint, beside the same cell run plainly');
      results.d1 = await measureDebug(engine, config);
      rows.push(...debugRows(results.d1 as DebugData));
    }
    if (want('p3')) {
      progress(`P3 scale: ${config.scaleContexts} contexts x ${config.scaleExecs}`);
      results.p3 = await measureP3(engine, server.settings, config);
      rows.push(...p3Rows(results.p3 as P3Data, config));
    }
    if (want('p6')) {
      progress("P6 first result in a second project's environment, cold and warm");
      // The main engine's warm kernels must not start beside these measurements.
      await engine.warm.whenSettled();
      results.p6 = await measureP6(provider, config);
      rows.push(...p6Rows(results.p6 as P6Data, config));
    }
    if (want('s2')) {
      progress('S2 agent sandbox: first result, round trip and idle memory, sandboxed against unsandboxed');
      // The main engine's warm kernels must not start beside these measurements.
      await engine.warm.whenSettled();
      const s2 = await measureS2(provider, config);
      results.s2 = s2;
      const skipped = s2NotMeasured(s2);
      if (skipped) {
        progress(skipped);
      }
      rows.push(...s2Rows(s2, config));
    }
  } finally {
    if (engine) {
      // Stopping the server below ends every kernel, so a hung dispose must not keep the bench alive.
      await withDeadline(engine.disposeAsync(), 60_000, 'engine dispose').catch((err: unknown) =>
        progress(String(err)),
      );
    }
    await provider.stop();
    provider.dispose();
  }
  return rows;
}

function pythonBaseline(config: BenchConfig, which: string): Promise<PythonBaseline> {
  progress(`baseline (a): jupyter_client over ZMQ, ${which} run`);
  const half = config.quick ? 1 : 2;
  return runPythonBaseline({
    python: config.python,
    roundTrips: Math.ceil(config.roundTrips / half),
    floodBytes: config.floodBytes,
    floodRuns: Math.ceil(config.floodRuns / half),
  });
}

function mergePythonBaselines(into: PythonBaseline, more: PythonBaseline): void {
  into.roundTripMs.push(...more.roundTripMs);
  into.flood.push(...more.flood);
}

async function stockServerRoundTrips(config: BenchConfig): Promise<number[]> {
  progress('P2 comparison on a stock server (Nagle on)');
  const stock = await startPlainServer(config.python);
  try {
    return await measureStockServer(stock.settings, config.noDelayCompareRoundTrips);
  } finally {
    await stock.stop();
  }
}

async function main(): Promise<void> {
  const config = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const loadBefore = os.loadavg();
  const quiet = silenceLibraryConsole();
  const results: Record<string, unknown> = {};
  let rows: RowInput[] = [];
  try {
    progress(`mode ${config.quick ? 'quick' : 'full'}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
    if (!config.python) {
      const found = await findPython();
      config.python = found.path;
      progress(`Python ${found.versions.python} at ${found.path} (${found.source})`);
    }
    if (['p1', 'p2', 'p3', 'p4', 'p6', 'w1', 's2', 'd1'].some((f) => config.only.has(f as Figure))) {
      rows = await measureKernelFigures(config, results);
    }
    if (config.only.has('p5')) {
      progress('P5 build, bundle size and activation');
      const p5 = await measureP5(config);
      results.p5 = p5;
      rows.push(...p5Rows(p5));
      for (const problem of p5.problems) {
        progress(`P5: ${problem}`);
      }
    }
    if (config.only.has('statements')) {
      progress('statement range per keypress (tree-sitter)');
      const statements = await measureStatementRange(config);
      results.statements = statements;
      rows.push(...statementRangeRows(statements));
    }
  } finally {
    quiet.restore();
  }
  const table = rows.map(makeRow);
  const seconds = (Date.now() - started) / 1000;
  const machine = {
    cpus: os.cpus().length,
    node: process.version,
    loadAverageBefore: loadBefore,
    loadAverageAfter: os.loadavg(),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
  const file = path.resolve(config.resultsPath);
  const output = {
    when: new Date(started).toISOString(),
    seconds,
    config: { ...config, only: [...config.only] },
    machine,
    rows: table,
    raw: results,
  };
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  const heading = `Kernel Islands bench (${config.quick ? 'quick' : 'full'}, ${seconds.toFixed(1)} s, ${machine.cpus} CPUs, load ${loadBefore[0].toFixed(2)} -> ${machine.loadAverageAfter[0].toFixed(2)})`;
  process.stdout.write(`\n${heading}\n\n${renderTable(table)}\n\nNotes:\n${renderNotes(table)}\n`);
  process.stdout.write(
    `- p95 of a rate (MB/s, exec/s) is its worst 5 %. Library console lines dropped: ${quiet.dropped()}.\n`,
  );
  process.stdout.write(`\nWrote ${path.relative(process.cwd(), file)}\n`);
  const missed = table.filter((row) => row.met === false).map((row) => row.id);
  if (missed.length > 0) {
    process.stdout.write(`Goals missed: ${missed.join(', ')}\n`);
  }
  runUiBench(config);
}

/**
 * The UI figures (`npm run bench:ui`, bench/ui/) need code-server, which `npm run setup` or an e2e run installs;
 * without it the engine figures stand alone and a line says how to get the UI ones.
 */
function runUiBench(config: BenchConfig): void {
  if (!config.ui) {
    return;
  }
  const cache =
    process.env.KI_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'kernel-islands');
  const installed = existsSync(cache) && readdirSync(cache).some((d) => existsSync(path.join(cache, d, '.complete')));
  if (!installed) {
    process.stdout.write(
      `\nUI figures skipped: code-server is not installed in ${cache} (npm run setup installs it).\n`,
    );
    return;
  }
  progress('UI figures: npm run bench:ui');
  const ui = spawnSync('bash', [path.join(__dirname, 'ui', 'run.sh'), ...(config.quick ? ['--quick'] : [])], {
    stdio: 'inherit',
  });
  if (ui.status !== 0) {
    // The engine's figures above stand on their own; the UI bench's output says what went wrong.
    process.stdout.write(
      `\nnpm run bench:ui failed (exit ${ui.status ?? ui.signal}); the engine figures above stand.\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
