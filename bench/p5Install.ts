import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { BenchConfig } from './options';
import type { RowInput } from './report';

/** One activation sample from `activationHarness.ts`. */
export interface ActivationSample {
  loadMs: number;
  activateMs: number;
  totalMs: number;
  subscriptions: number;
  children: string[];
}

export interface P5Data {
  bundleBytes?: number;
  activation: ActivationSample[];
  /** Why a part could not be measured (no bundle yet, build failed, activate threw). */
  problems: string[];
}

const ROOT = path.resolve(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'extension.js');

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${command} ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** Builds the bundle (`npm run build`), measures its size, and times activation in fresh processes. */
export async function measureP5(config: BenchConfig): Promise<P5Data> {
  const data: P5Data = { activation: [], problems: [] };
  if (!config.skipBuild) {
    try {
      await run('npm', ['run', 'build', '--silent'], ROOT);
    } catch (err) {
      data.problems.push(`npm run build failed: ${String(err).slice(0, 400)}`);
    }
  }
  if (!existsSync(BUNDLE)) {
    data.problems.push('dist/extension.js does not exist (no extension entry point built yet).');
    return data;
  }
  data.bundleBytes = statSync(BUNDLE).size;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ki-bench-harness-'));
  try {
    const harness = path.join(dir, 'activationHarness.js');
    await build({
      entryPoints: [path.join(__dirname, 'activationHarness.ts')],
      outfile: harness,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node18',
      logLevel: 'error',
    });
    for (let i = 0; i < config.activationRuns; i++) {
      try {
        const line = (await run(process.execPath, [harness, BUNDLE], ROOT)).trim().split('\n').pop() ?? '';
        data.activation.push(JSON.parse(line) as ActivationSample);
      } catch (err) {
        data.problems.push(`activation run ${i + 1}: ${String(err).slice(0, 400)}`);
        break;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return data;
}

/** Table rows for P5. */
export function p5Rows(data: P5Data): RowInput[] {
  const rows: RowInput[] = [];
  if (data.activation.length > 0) {
    const eager = data.activation.flatMap((s) => s.children);
    rows.push({
      id: 'P5',
      label: 'activation: require(dist/extension.js) + activate()',
      unit: 'ms',
      samples: data.activation.map((s) => s.totalMs),
      goal: { metric: 'median', op: '<=', target: 50 },
      note:
        `fresh node process per sample, stub vscode module; load ${median(data.activation.map((s) => s.loadMs))} ms + ` +
        `activate ${median(data.activation.map((s) => s.activateMs))} ms (medians); ` +
        (eager.length > 0
          ? `STARTED EAGERLY: ${[...new Set(eager)].join('; ')}`
          : 'no child process started within 500 ms of activation.'),
    });
  }
  if (data.bundleBytes !== undefined) {
    rows.push({
      id: 'P5.size',
      label: 'bundle size of dist/extension.js',
      unit: 'KB',
      samples: [data.bundleBytes / 1024],
      goal: { metric: 'median', op: '<=', target: 1024 },
    });
  }
  return rows;
}

function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)].toFixed(1);
}
