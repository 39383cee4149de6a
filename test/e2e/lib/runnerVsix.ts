/**
 * Builds the test-runner extension (`test/e2e/runner-extension`) into a vsix: esbuild bundles its one source
 * file into a staging folder next to its manifest, then vsce packages that folder. code-server only loads
 * extensions it installed from a vsix.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Builds the runner vsix under `workDir` and returns its path. */
export function buildRunnerVsix(repoRoot: string, workDir: string): Promise<string> {
  return buildHelperVsix(repoRoot, join(repoRoot, 'test', 'e2e', 'runner-extension'), workDir);
}

/**
 * Builds a test-only helper extension (a folder with `package.json` and `src/extension.ts`, such as the e2e runner
 * or the UI bench's host extension) into `<workDir>/<its name>.vsix` and returns that path.
 */
export async function buildHelperVsix(repoRoot: string, source: string, workDir: string): Promise<string> {
  const name = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { name: string }).name;
  const staging = join(workDir, name);
  mkdirSync(staging, { recursive: true });
  copyFileSync(join(source, 'package.json'), join(staging, 'package.json'));
  await build({
    entryPoints: [join(source, 'src', 'extension.ts')],
    outfile: join(staging, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const vsix = join(workDir, `${name}.vsix`);
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const args = [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: staging, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vsce failed (${code}):\n${output}`))));
  });
  return vsix;
}
