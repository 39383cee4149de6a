import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import type { BenchConfig } from './options';
import type { RowInput } from './report';

/** One activation sample from `activationHarness.ts`. */
export interface ActivationSample {
  loadMs: number;
  activateMs: number;
  totalMs: number;
  subscriptions: number;
  children: string[];
  /** Module requests the bundle made while loading and activating (`vscode`, `node:fs`, ...). */
  required: string[];
}

/** Size and activation samples of one bundle. */
export interface BundleFigures {
  /** All JavaScript the extension ships: `extension.js` plus the files it loads on demand. */
  bytes: number;
  /** `extension.js` alone, the part a host reads and compiles while activating. */
  entryBytes: number;
  /** Files under `node_modules/` next to the bundle (native addons shipped as they are, e.g. zeromq's). */
  nativeBytes: number;
  activation: ActivationSample[];
}

export interface P5Data {
  /** `npm run build` output (dist/extension.js, unminified). */
  dev?: BundleFigures;
  /** The same entry point minified, as `npm run package` ships it (built into a temp folder). */
  production?: BundleFigures;
  /** Why a part could not be measured (no bundle, build failed, activate threw). */
  problems: string[];
}

const ROOT = path.resolve(__dirname, '..');
const DEV_BUNDLE = path.join(ROOT, 'dist', 'extension.js');

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** esbuild options for the harness, bundled minified like the extension. */
const harnessOptions: BuildOptions = {
  entryPoints: [path.join(__dirname, 'activationHarness.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  minify: true,
  sourcemap: false,
  external: ['vscode'],
  logLevel: 'error',
};

/** Builds the bundles, measures their size, and times activation in fresh processes. */
export async function measureP5(config: BenchConfig): Promise<P5Data> {
  const data: P5Data = { problems: [] };
  if (!config.skipBuild) {
    await run('npm', ['run', 'build', '--silent'], ROOT).catch((err: unknown) => {
      data.problems.push(`npm run build failed: ${String(err).slice(0, 400)}`);
    });
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ki-bench-p5-'));
  try {
    const harness = path.join(dir, 'activationHarness.js');
    await build({ ...harnessOptions, outfile: harness });
    // The packaged build itself (`npm run package` runs `esbuild.mjs --production`), so its plugins and the
    // files it splits off are measured too.
    const production = path.join(dir, 'ext', 'dist', 'extension.js');
    await run(
      process.execPath,
      ['esbuild.mjs', '--production', '--extension-only', `--outdir=${path.dirname(production)}`],
      ROOT,
    );
    const bundles: Array<['dev' | 'production', string]> = [['production', production]];
    if (existsSync(DEV_BUNDLE)) {
      bundles.unshift(['dev', DEV_BUNDLE]);
    } else {
      data.problems.push('dist/extension.js does not exist (the build made no bundle).');
    }
    for (const [key, bundle] of bundles) {
      const dir = path.dirname(bundle);
      data[key] = {
        bytes: shippedBytes(dir),
        entryBytes: statSync(bundle).size,
        nativeBytes: treeBytes(path.join(dir, 'node_modules')),
        activation: [],
      };
    }
    // Samples alternate between the bundles, so load from other processes weighs on both alike.
    for (let i = 0; i < config.activationRuns; i++) {
      for (const [key, bundle] of bundles) {
        data[key]?.activation.push(await activateOnce(harness, bundle));
      }
    }
  } catch (err) {
    data.problems.push(`activation: ${String(err).slice(0, 600)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return data;
}

/** Bytes of the `.js` files in a bundle folder (source maps are not shipped). */
function shippedBytes(dir: string): number {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .reduce((sum, name) => sum + statSync(path.join(dir, name)).size, 0);
}

/** Bytes of every file under `dir` (0 when it does not exist). */
function treeBytes(dir: string): number {
  if (!existsSync(dir)) {
    return 0;
  }
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? treeBytes(full) : entry.isFile() ? statSync(full).size : 0);
  }, 0);
}

async function activateOnce(harness: string, bundle: string): Promise<ActivationSample> {
  const line = (await run(process.execPath, [harness, bundle], ROOT)).trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ActivationSample;
}

/** Table rows for P5: activation and size of the dev and the shipped (minified) bundle. */
export function p5Rows(data: P5Data): RowInput[] {
  const rows: RowInput[] = [];
  const variants = [
    { id: 'P5', what: 'npm run build', figures: data.dev },
    { id: 'P5.min', what: 'minified as packaged', figures: data.production },
  ];
  for (const { id, what, figures } of variants) {
    if (!figures) {
      continue;
    }
    if (figures.activation.length > 0) {
      rows.push({
        id,
        label: `activation, ${what}: require + activate()`,
        unit: 'ms',
        samples: figures.activation.map((s) => s.totalMs),
        goal: { metric: 'median', op: '<=', target: 50 },
        note: activationNote(figures.activation),
      });
    }
    rows.push({
      id: `${id}.size`,
      label: `bundle size, ${what}`,
      unit: 'KB',
      samples: [figures.bytes / 1024],
      goal: { metric: 'median', op: '<=', target: 1024 },
      note:
        `all shipped .js files; extension.js alone (read at activation) ${(figures.entryBytes / 1024).toFixed(0)} KB, ` +
        'the rest (@jupyterlab/services with ws) is loaded at the first server connection. Not counted: ' +
        `node_modules/ next to it (native addons, all platforms) ${(figures.nativeBytes / 1024 / 1024).toFixed(1)} MB.`,
    });
  }
  return rows;
}

function activationNote(samples: ActivationSample[]): string {
  const eager = [...new Set(samples.flatMap((s) => s.children))];
  return (
    `fresh node process per sample, stub vscode module; module load ${median(samples.map((s) => s.loadMs))} ms + ` +
    `activate() ${median(samples.map((s) => s.activateMs))} ms (medians). ` +
    (eager.length > 0
      ? `STARTED EAGERLY: ${eager.join('; ')}`
      : 'No child process was running 500 ms after activation.')
  );
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)].toFixed(1);
}
