/** What a notebook means to the registry: its context spec, and the kernelspec its own metadata asks for. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextSpec } from '../kernels/types';

/** The notebook type of `.ipynb` files, served by VS Code's built-in ipynb extension. */
export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

/**
 * The notebook's context: keyed by its URI, labelled by its file name, running in its folder (an untitled
 * notebook runs in the workspace folder). `__file__` is not set: Jupyter does not set it for notebooks.
 */
export function notebookContextSpec(notebook: vscode.NotebookDocument, kernelName?: string): ContextSpec {
  const uri = notebook.uri;
  const label = path.posix.basename(uri.path) || uri.toString();
  return { id: uri.toString(), label, cwd: notebookCwd(uri), kernelName };
}

function notebookCwd(uri: vscode.Uri): string | undefined {
  if (uri.scheme === 'file') {
    return path.dirname(uri.fsPath);
  }
  const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** The nbformat notebook metadata (`kernelspec`, `language_info`), wherever this VS Code version keeps it. */
function nbMetadata(notebook: vscode.NotebookDocument): Record<string, unknown> | undefined {
  const top = notebook.metadata as Record<string, unknown> | undefined;
  // Recent ipynb extensions store the notebook's JSON minus cells as the metadata; older ones under `custom`.
  const inner = (top?.metadata ?? (top?.custom as Record<string, unknown> | undefined)?.metadata) as
    Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' ? inner : undefined;
}

/** The kernelspec name and language the notebook's metadata names, if any. */
export function notebookKernelHint(notebook: vscode.NotebookDocument): { name?: string; language?: string } {
  const meta = nbMetadata(notebook);
  const spec = meta?.kernelspec as { name?: unknown; language?: unknown } | undefined;
  const info = meta?.language_info as { name?: unknown } | undefined;
  const name = typeof spec?.name === 'string' && spec.name !== '' ? spec.name : undefined;
  const language =
    typeof spec?.language === 'string' ? spec.language : typeof info?.name === 'string' ? info.name : undefined;
  return { name, language: language?.toLowerCase() };
}
