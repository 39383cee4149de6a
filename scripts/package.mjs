// `npm run package`: one platform-specific vsix per VS Code target, each carrying only its own zeromq addon, and a
// universal vsix without any (websocket transport only) for every other target. The marketplace hands each
// platform its own package and the universal one to the rest.
//
//   node scripts/package.mjs                 all targets into dist/packages/, plus dist/kernel-islands.vsix (this machine's)
//   node scripts/package.mjs --host          only this machine's target, as dist/kernel-islands.vsix (npm start, e2e)
//   node scripts/package.mjs --out=DIR       the per-target packages go to DIR, and nothing else is written
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TARGETS, UNIVERSAL, copyZeromq, hostTarget } from './lib/zeromqAddons.mjs';

const args = process.argv.slice(2);
const hostOnly = args.includes('--host');
const outArg = args.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const outDir = outArg ?? path.join('dist', 'packages');
const host = hostTarget();
const targets = hostOnly ? [host] : [...Object.keys(TARGETS), UNIVERSAL];

const vsce = path.resolve('node_modules', '@vscode', 'vsce', 'vsce');
const run = (file, argv, cwd) => execFileSync(file, argv, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });

/**
 * A staging folder to package from, so packaging never changes the repo's own dist/ (which tests and the MCP
 * command run from): the production bundle built into its dist/, and the repo's files that .vscodeignore lets into
 * a package (each `!path` line outside dist/).
 */
function stage() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ki-package-'));
  run(process.execPath, ['esbuild.mjs', '--production', `--outdir=${path.join(dir, 'dist')}`, `--zeromq=${UNIVERSAL}`]);
  const included = readFileSync('.vscodeignore', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('!') && !line.startsWith('!dist/'))
    .map((line) => line.slice(1).split('/')[0]);
  for (const entry of new Set(['.vscodeignore', ...included])) {
    // Source maps stay out (a dev build may have left one in media/dist; a `!` line in .vscodeignore wins over
    // its `**/*.map`).
    const filter = (file) => !file.endsWith('.map');
    if (existsSync(entry)) cpSync(entry, path.join(dir, entry), { recursive: true, filter });
  }
  return dir;
}

/** Packages the staged build for `target`, with only that target's addon. */
function packageTarget(staged, target, vsix) {
  rmSync(path.join(staged, 'dist', 'node_modules'), { recursive: true, force: true });
  copyZeromq(path.join(staged, 'dist'), target);
  const targetArgs = target === UNIVERSAL ? [] : ['--target', target];
  run(
    process.execPath,
    [
      vsce,
      'package',
      ...targetArgs,
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
      '-o',
      path.resolve(vsix),
    ],
    staged,
  );
}

const staged = stage();
mkdirSync(outDir, { recursive: true });
mkdirSync('dist', { recursive: true });
const hostVsix = path.join('dist', 'kernel-islands.vsix');
try {
  for (const target of targets) {
    const vsix = hostOnly ? hostVsix : path.join(outDir, `kernel-islands-${target}.vsix`);
    packageTarget(staged, target, vsix);
    console.log(vsix);
  }
  // With --out the packages go there and nothing else changes (the unit test builds into a temp folder).
  if (!hostOnly && !outArg) copyFileSync(path.join(outDir, `kernel-islands-${host}.vsix`), hostVsix);
} finally {
  rmSync(staged, { recursive: true, force: true });
}
