/**
 * Builds the test-runner extension (`test/e2e/runner-extension`) into a vsix: esbuild bundles its one source
 * file into a staging folder next to its manifest, then vsce packages that folder. code-server only loads
 * extensions it installed from a vsix.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Builds the runner vsix under `workDir` and returns its path. */
export async function buildRunnerVsix(repoRoot: string, workDir: string): Promise<string> {
  const source = join(repoRoot, 'test', 'e2e', 'runner-extension');
  const staging = join(workDir, 'runner-extension');
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
  const vsix = join(workDir, 'kernel-islands-e2e-runner.vsix');
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
