/**
 * Runs the in-host suite (`out/test/suite/index.js`) in desktop VS Code through `@vscode/test-electron`.
 * For machines with a VS Code build: set VSCODE_EXECUTABLE (or KI_VSCODE_EXECUTABLE) to its executable, or let
 * test-electron download one (needs the internet; VSCODE_VERSION picks the version). Offline machines use the
 * code-server harness (`npm run test:e2e`) instead, which runs the same suite.
 *
 * Usage: `npm run test:electron` (packages the extension, bundles the suite, then runs this file).
 */
import { runTests } from '@vscode/test-electron';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..', '..');

/** A sandbox so the run never reads or writes the user's VS Code profile or the repo's demo folder. */
function makeSandbox(pythonPath: string): { root: string; userData: string; extensions: string; workspace: string } {
  const root = mkdtempSync(join(tmpdir(), 'ki-electron-'));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  const workspace = join(root, 'workspace');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions);
  const demo = join(REPO, 'demo');
  if (existsSync(demo)) {
    cpSync(demo, workspace, { recursive: true });
  } else {
    mkdirSync(workspace);
  }
  const settings = {
    'kernelIslands.pythonPath': pythonPath,
    'workbench.startupEditor': 'none',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
  };
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  return { root, userData, extensions, workspace };
}

async function main(): Promise<number> {
  const suite = join(REPO, 'out', 'test', 'suite', 'index.js');
  if (!existsSync(suite) || !existsSync(join(REPO, 'dist', 'extension.js'))) {
    console.error('Build first: `npm run package && node esbuild.mjs --suite` (npm run test:electron does both).');
    return 1;
  }
  const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || process.env.KI_VSCODE_EXECUTABLE || undefined;
  if (!vscodeExecutablePath) {
    console.log('VSCODE_EXECUTABLE is not set: @vscode/test-electron will try to download VS Code.');
  }
  const sandbox = makeSandbox(process.env.KI_PYTHON || '/usr/bin/python3');
  try {
    return await runTests({
      vscodeExecutablePath,
      version: process.env.VSCODE_VERSION || undefined,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: suite,
      launchArgs: [
        sandbox.workspace,
        `--user-data-dir=${sandbox.userData}`,
        `--extensions-dir=${sandbox.extensions}`,
        // Only the extension under test: a user's other extensions must not change the results.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        '--disable-gpu',
        // Electron refuses to run as root (CI containers) without it.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    });
  } finally {
    rmSync(sandbox.root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
