/**
 * The per-run sandbox: a fresh temp folder with code-server's user-data and extensions dirs, a copy of the
 * workspace, and the user settings. Nothing of a run survives in the repo except the artifacts.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Paths of one run. */
export interface RunDir {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  resultsFile: string;
  /** code-server's config file; ours, so the user's ~/.config/code-server is never read or written. */
  configFile: string;
  /** TMPDIR for code-server and everything under it, so temp files of the run go when the run dir goes. */
  tmpDir: string;
  remove(): void;
}

/** Options for {@link createRunDir}. */
export interface RunDirOptions {
  /** Folder copied as the workspace. */
  workspaceSource: string;
  /** Written to `User/settings.json`. */
  settings: Record<string, unknown>;
}

/** Settings that keep the workbench quiet and offline; the caller adds the product's settings. */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Suggestion lists pop up a moment after typing and then take arrow keys and Enter (and disable Shift+Enter's
  // binding), which made typed-then-run UI steps flaky.
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.parameterHints.enabled': false,
  // Jupyter and kernel ports would otherwise be "forwarded" with a notification that covers the workbench.
  'remote.autoForwardPorts': false,
};

export function createRunDir(options: RunDirOptions): RunDir {
  const root = mkdtempSync(join(tmpdir(), 'ki-e2e-'));
  const dir: RunDir = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
    resultsFile: join(root, 'results.json'),
    configFile: join(root, 'code-server.yaml'),
    tmpDir: join(root, 'tmp'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  mkdirSync(join(dir.userDataDir, 'User'), { recursive: true });
  mkdirSync(dir.extensionsDir, { recursive: true });
  mkdirSync(dir.tmpDir, { recursive: true });
  cpSync(options.workspaceSource, dir.workspace, { recursive: true });
  writeFileSync(join(dir.userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  writeFileSync(dir.configFile, 'auth: none\ncert: false\n');
  return dir;
}

/** The workspace the tests open: a copy of the product's demo (`demo/`), so the tests use what users see. */
export function pickWorkspace(repoRoot: string): string {
  return join(repoRoot, 'demo');
}
