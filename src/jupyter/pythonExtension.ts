// The only file in jupyter/ that may import `vscode`: it asks the Python extension for its interpreter.
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';
const ACTIVATION_TIMEOUT_MS = 10_000;

/** The slice of the Python extension's exported API we use (see @vscode/python-extension). */
interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
  resolveEnvironment(
    environment: { id: string; path: string } | string,
  ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
}

interface PythonExtensionApi {
  ready?: Promise<void>;
  environments?: PythonEnvironmentsApi;
}

/**
 * Returns a lookup for the Python extension's active interpreter, for `findPython({ activeInterpreter })`.
 * Nothing is loaded until the lookup runs; it answers undefined when the extension is not installed.
 * `resource` picks the workspace folder whose interpreter is wanted.
 */
export function pythonExtensionInterpreter(resource?: () => vscode.Uri | undefined): () => Promise<string | undefined> {
  return async () => {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!extension) {
      return undefined;
    }
    const api = await withTimeout(activate(extension), `${PYTHON_EXTENSION_ID} did not activate`);
    const environments = api?.environments;
    if (!environments) {
      return undefined;
    }
    const active = environments.getActiveEnvironmentPath(resource?.());
    // The active path can be an environment folder; resolving gives the executable.
    const resolved = await withTimeout(environments.resolveEnvironment(active), 'resolving the interpreter timed out');
    return resolved?.executable.uri?.fsPath ?? active.path;
  };
}

async function activate(extension: vscode.Extension<PythonExtensionApi>): Promise<PythonExtensionApi | undefined> {
  const api = extension.isActive ? extension.exports : await extension.activate();
  await api?.ready;
  return api;
}

function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ACTIVATION_TIMEOUT_MS} ms`)), ACTIVATION_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
