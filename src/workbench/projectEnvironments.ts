// Each document's and notebook's Python environment as VS Code sees it: the folder's setting, the Python
// extension's choice, environment folders in the workspace (watched), the extension host's CONDA_PREFIX/VIRTUAL_ENV.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EnvironmentDiscovery, type FoundEnvironment } from '../python/environmentDiscovery';
import type { PythonExtensionEnvironments } from '../python/pythonExtension';
import { ENVIRONMENT_INTERPRETERS, PROJECT_ENVIRONMENT_FOLDERS } from '../python/pythonLayouts';

/**
 * Events under these paths mean an environment folder appeared or went away (or its interpreter did: `bin/python`,
 * or `Scripts/python.exe` on Windows, which a new venv writes after its `pyvenv.cfg`).
 */
const FOLDERS = `**/{${PROJECT_ENVIRONMENT_FOLDERS.join(',')}}`;
const WATCHED = [FOLDERS, `${FOLDERS}/pyvenv.cfg`, ...ENVIRONMENT_INTERPRETERS.map((p) => `${FOLDERS}/${p}`)];

/** Changes within this many ms are told once (creating a venv writes many files). */
const SETTLE_MS = 300;

/**
 * Answers "which environment does this document run in?" at once, from cached file checks (see
 * `EnvironmentDiscovery`). Watches for environment folders created or deleted in the workspace, and for the
 * Python extension's and the settings' changes, and tells `onDidChange` (status bar, notebook controllers).
 */
export class ProjectEnvironments implements vscode.Disposable {
  readonly discovery = new EnvironmentDiscovery();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [this.changed];
  private settle: NodeJS.Timeout | undefined;

  constructor(private readonly pythonExtension?: PythonExtensionEnvironments) {
    for (const pattern of WATCHED) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern, false, true, false);
      this.subs.push(
        watcher,
        watcher.onDidCreate(() => this.invalidate()),
        watcher.onDidDelete(() => this.invalidate()),
      );
    }
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kernelIslands.pythonPath')) {
          this.invalidate();
        }
      }),
    );
    if (pythonExtension) {
      this.subs.push(pythonExtension.onDidChange(() => this.invalidate()));
    }
  }

  /** The environment of a document or notebook; undefined means the server's own Python. */
  find(uri: vscode.Uri): FoundEnvironment | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    const stopAt = folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
    const dir = uri.scheme === 'file' ? path.dirname(uri.fsPath) : stopAt;
    if (dir === undefined) {
      return undefined;
    }
    return this.discovery.find({
      dir,
      stopAt,
      setting: folderPythonPath(uri),
      pythonExtension: this.pythonExtension && (() => this.pythonExtension?.activePath(uri)),
    });
  }

  /**
   * The environments of the open notebooks and Python files, and every other one found in this window so far (for
   * kernel pickers and notebook controllers).
   */
  inUse(): FoundEnvironment[] {
    for (const notebook of vscode.workspace.notebookDocuments) {
      this.find(notebook.uri);
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.languageId === 'python' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled')) {
        this.find(doc.uri);
      }
    }
    return this.discovery.known();
  }

  /** Forgets cached answers and tells listeners, once per burst of changes. */
  invalidate(): void {
    this.discovery.invalidate();
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.changed.fire(), SETTLE_MS);
  }

  dispose(): void {
    clearTimeout(this.settle);
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}

/**
 * `kernelIslands.pythonPath` as set for this folder or workspace. A value in the user's settings only picks the
 * Python of the server (and so of every context without an environment), not a project's environment.
 */
function folderPythonPath(uri: vscode.Uri): string | undefined {
  const inspected = vscode.workspace.getConfiguration('kernelIslands', uri).inspect<string>('pythonPath');
  const value = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
