// Bundles the extension (and, with --suite, the in-host test suite) with esbuild.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { copyZeromq, hostTarget } from './scripts/lib/zeromqAddons.mjs';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
// --outdir=DIR: where the extension bundles go (the bench builds a packaged copy into a temp folder).
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
// --zeromq=TARGET: which platform's zeromq addon goes into <outdir>/node_modules (scripts/lib/zeromqAddons.mjs;
// `universal` for none). Default: this machine's. scripts/package.mjs swaps it per packaged target.
const zeromqTarget = process.argv.find((a) => a.startsWith('--zeromq='))?.slice('--zeromq='.length) ?? hostTarget();

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node18',
  sourcemap: !production,
  minify: production,
  // zeromq is a native addon: it is loaded from dist/node_modules at run time (see copyZeromq), never bundled.
  external: ['vscode', 'zeromq'],
  logLevel: 'warning',
};

/** File name, next to extension.js, of the separately bundled @jupyterlab/services (with ws). */
const SERVICES_FILE = 'jupyterlab-services.js';

/**
 * Every `import * as vscode` shares one namespace object. Without this esbuild gives each of the ~35 importing
 * modules its own copy of the whole API object (`__toESM`), a few ms of activation spent copying properties.
 * @type {esbuild.Plugin}
 */
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (resolved) =>
      resolved.namespace === 'vscode-namespace'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

/**
 * @jupyterlab/services is required on first use only (src/jupyter/jupyterServices.ts). Shipping it as its own file
 * means the host does not even parse its ~200 KB while activating; inside one bundle V8 would still pre-parse it.
 * @type {esbuild.Plugin}
 */
const servicesApart = {
  name: 'services-apart',
  setup(build) {
    build.onResolve({ filter: /^@jupyterlab\/services$/ }, () => ({ path: `./${SERVICES_FILE}`, external: true }));
  },
};

/** File name, next to extension.js, of web-tree-sitter (the statement finder's parser, src/workbench/syntaxTrees.ts). */
const TREE_SITTER_FILE = 'web-tree-sitter.js';

/**
 * web-tree-sitter is required at the first statement-aware run only; like @jupyterlab/services it ships as its
 * own file, so activation does not parse its ~170 KB.
 * @type {esbuild.Plugin}
 */
const treeSitterApart = {
  name: 'tree-sitter-apart',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: `./${TREE_SITTER_FILE}`, external: true }));
  },
};

/**
 * The wasm files the parser loads (paths in `packagedGrammarFiles`): tree-sitter's runtime next to the bundle, and
 * the Python and R grammars (tree-sitter-python, r-lib's tree-sitter-r, prebuilt by @cursorless/tree-sitter-wasms)
 * in grammars/.
 */
function copyGrammars() {
  const require = createRequire(import.meta.url);
  copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(outdir, 'web-tree-sitter.wasm'));
  mkdirSync(path.join(outdir, 'grammars'), { recursive: true });
  for (const language of ['python', 'r']) {
    const file = `tree-sitter-${language}.wasm`;
    copyFileSync(require.resolve(`@cursorless/tree-sitter-wasms/out/${file}`), path.join(outdir, 'grammars', file));
  }
}

/** File name, next to extension.js, of the in-VS-Code MCP server (src/mcp/inHostServer.ts, with the MCP SDK). */
const MCP_HOST_FILE = 'mcp-host.js';

/**
 * The MCP server inside VS Code is required when VS Code (or a command) first starts it (src/ui/mcp/mcpServerProvider.ts):
 * the MCP SDK and zod stay out of extension.js, as @jupyterlab/services does.
 * @type {esbuild.Plugin}
 */
const mcpHostApart = {
  name: 'mcp-host-apart',
  setup(build) {
    build.onResolve({ filter: /\/mcp\/inHostServer$/ }, () => ({ path: `./${MCP_HOST_FILE}`, external: true }));
  },
};

/** The extension entry point and the files it loads lazily. */
const extensionOptions = {
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: path.join(outdir, 'extension.js'),
  plugins: [oneVscodeNamespace, servicesApart, treeSitterApart, mcpHostApart],
};
/** The in-VS-Code MCP server; it reaches kernels through the registry it is given, never through services itself. */
const mcpHostOptions = {
  ...common,
  entryPoints: ['src/mcp/inHostServer.ts'],
  outfile: path.join(outdir, MCP_HOST_FILE),
  plugins: [servicesApart],
};
/** The `kernel-islands-mcp` command (src/mcp/cli.ts): the engine and the MCP SDK, without VS Code. */
const mcpOptions = {
  ...common,
  entryPoints: ['src/mcp/cli.ts'],
  outfile: path.join(outdir, 'mcp.js'),
  external: ['zeromq'],
  plugins: [servicesApart],
};
const servicesOptions = {
  ...common,
  entryPoints: [createRequire(import.meta.url).resolve('@jupyterlab/services')],
  outfile: path.join(outdir, SERVICES_FILE),
};
const treeSitterOptions = {
  ...common,
  entryPoints: [createRequire(import.meta.url).resolve('web-tree-sitter')],
  outfile: path.join(outdir, TREE_SITTER_FILE),
};

/** The launcher (src/jupyter/launcher.py) and its modules; .vscodeignore lets each `dist/<file>` into the package. */
const LAUNCHER_FILES = [
  'launcher.py',
  'launcher_log.py',
  'server_patches.py',
  'server_lifeline.py',
  'kernel_routes.py',
  'kernel_sandbox.py',
];

async function main() {
  mkdirSync(outdir, { recursive: true });
  // The launcher runs under the user's Python; it ships next to the bundle, with the modules it imports.
  for (const file of LAUNCHER_FILES) copyFileSync(path.join('src/jupyter', file), path.join(outdir, file));
  // zeromq is a native addon: loaded from <outdir>/node_modules at run time, never bundled. Only one platform's.
  rmSync(path.join(outdir, 'node_modules'), { recursive: true, force: true });
  copyZeromq(outdir, zeromqTarget);
  copyGrammars();
  // --suite-only: just the test bundles (the e2e harness rebuilds the suite without touching dist/).
  const suiteOnly = args.has('--suite-only');
  // --extension-only: just the extension's own files (no webview script, no suite).
  const extensionOnly = args.has('--extension-only');
  const builds = suiteOnly
    ? []
    : [
        esbuild.build({ ...extensionOptions, metafile: true }),
        esbuild.build(servicesOptions),
        esbuild.build(treeSitterOptions),
        esbuild.build(mcpHostOptions),
        esbuild.build(mcpOptions),
      ];
  if (!suiteOnly && !extensionOnly) {
    // The webviews' scripts (results panel, data viewer) run in the browser; they are assets of media/.
    builds.push(
      esbuild.build({
        ...common,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        external: [],
        entryPoints: { results: 'src/ui/webview/results.ts', dataViewer: 'src/ui/webview/dataViewer.ts' },
        outdir: 'media/dist',
      }),
    );
  }
  if ((args.has('--suite') || suiteOnly) && !extensionOnly) {
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
    await Promise.all([servicesOptions, treeSitterOptions, mcpHostOptions].map((options) => esbuild.build(options)));
    const ctx = await esbuild.context(extensionOptions);
    await ctx.watch();
    return;
  }
  await Promise.all(builds);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
