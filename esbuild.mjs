// Bundles the extension (and, with --suite, the in-host test suite) with esbuild.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  external: ['vscode'],
  logLevel: 'warning',
};

async function main() {
  mkdirSync('dist', { recursive: true });
  // The launcher runs under the user's Python; it ships next to the bundle.
  copyFileSync('src/jupyter/launcher.py', 'dist/launcher.py');
  // --suite-only: just the test bundles (the e2e harness rebuilds the suite without touching dist/).
  const suiteOnly = args.has('--suite-only');
  const builds = suiteOnly
    ? []
    : [
        esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', metafile: true }),
        // The results webview's script runs in the browser; it is an asset of media/.
        esbuild.build({
          ...common,
          platform: 'browser',
          format: 'iife',
          target: 'es2022',
          external: [],
          entryPoints: ['src/ui/webview/results.ts'],
          outfile: 'media/dist/results.js',
        }),
      ];
  if (args.has('--suite') || suiteOnly) {
    builds.push(
      esbuild.build({
        ...common,
        sourcemap: true,
        minify: false,
        entryPoints: {
          'suite/index': 'test/suite/index.ts',
          'electron/runTest': 'test/electron/runTest.ts',
        },
        outdir: 'out/test',
        // mocha is bundled: its ES-module files need require(esm), which older VS Code hosts (Node < 20.19) lack.
        external: ['vscode', '@vscode/test-electron'],
        // Those require.resolve calls are only for mocha's parallel mode, which the suite does not use.
        logOverride: { 'require-resolve-not-external': 'silent' },
      }),
    );
  }
  if (args.has('--watch')) {
    const ctx = await esbuild.context({ ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' });
    await ctx.watch();
    return;
  }
  await Promise.all(builds);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
