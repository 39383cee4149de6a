// The only file in jupyter/ that may import `vscode`: it asks the Python extension (ms-python.python, through
// @vscode/python-extension) for its interpreter: the server's, and each document's environment.
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';

const ACTIVATION_TIMEOUT_MS = 10_000;

/**
 * Returns a lookup for the Python extension's active interpreter, for `findPython({ activeInterpreter })`.
 * Nothing is loaded until the lookup runs; it answers undefined when the extension is not installed.
 * `resource` picks the workspace folder whose interpreter is wanted.
 */
export function pythonExtensionInterpreter(resource?: () => vscode.Uri | undefined): () => Promise<string | undefined> {
  return async () => {
    if (!vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
      return undefined;
    }
    const api = await withTimeout(PythonExtension.api(), `${PYTHON_EXTENSION_ID} did not activate`);
    const environments = api.environments;
    const active = environments.getActiveEnvironmentPath(resource?.());
    // The active path can be an environment folder; resolving gives the executable.
    const resolved = await withTimeout(environments.resolveEnvironment(active), 'resolving the interpreter timed out');
    return resolved?.executable.uri?.fsPath ?? active.path;
  };
}

const PYTHON_EXTENSION_ID = 'ms-python.python';

/**
 * The Python extension's environment for a document, answered at once (discovery must not wait): undefined while
 * the extension is not installed or not ready yet. The first question starts its activation in the background;
 * `onDidChange` fires when it is ready and whenever the user picks another interpreter there.
 */
export class PythonExtensionEnvironments implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private api: PythonExtension | undefined;
  private connecting = false;
  private readonly subs: vscode.Disposable[] = [this.changed];

  constructor(private readonly onError: (message: string) => void) {}

  /** The interpreter (or environment folder) the Python extension uses for `resource`, if it can say now. */
  activePath(resource: vscode.Uri | undefined): string | undefined {
    if (!this.api) {
      this.connect();
      return undefined;
    }
    const environments = this.api.environments;
    const active = environments.getActiveEnvironmentPath(resource);
    const known = environments.known.find((env) => env.id === active.id || env.path === active.path);
    return known?.executable.uri?.fsPath ?? active.path;
  }

  dispose(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
  }

  private connect(): void {
    if (this.connecting || !vscode.extensions.getExtension(PYTHON_EXTENSION_ID)) {
      return;
    }
    this.connecting = true;
    void withTimeout(PythonExtension.api(), `${PYTHON_EXTENSION_ID} did not activate`).then(
      (api) => {
        this.api = api;
        this.subs.push(api.environments.onDidChangeActiveEnvironmentPath(() => this.changed.fire()));
        this.changed.fire();
      },
      (err: unknown) => this.onError(`The Python extension's environments are not used: ${String(err)}`),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ACTIVATION_TIMEOUT_MS} ms`)), ACTIVATION_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
