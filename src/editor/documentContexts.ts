import * as vscode from 'vscode';
import { contextSpecFor } from '../kernels/contextSpec';
import { kernelNameForLanguage } from '../kernels/languageKernels';
import type { ContextSpec } from '../kernels/types';

/** The settings that decide which kernel a document gets. */
export interface KernelChoiceSettings {
  languageKernels(): Readonly<Record<string, string>>;
  defaultKernel(): string;
  /** Server for contexts whose document has no chosen one; the registry's default when absent. */
  defaultServer?(): string;
}

/** A kernel the user chose for a document: its kernelspec and, when chosen, its server. */
interface KernelChoice {
  kernelName: string;
  server?: string;
}

/**
 * Says which context a document, notebook or API target belongs to. A notebook cell's editor belongs to its
 * notebook, so running a selection in a cell lands in the notebook's kernel.
 */
export class DocumentContexts {
  /** Kernelspecs the user chose for documents (Select Kernel), by URI; they win over the language mapping. */
  private readonly chosen = new Map<string, KernelChoice>();

  constructor(private readonly settings: KernelChoiceSettings) {}

  /** Makes `kernelName` (on `server`) the kernel of this document's context from its next kernel start. */
  chooseKernel(uri: vscode.Uri, kernelName: string, server?: string): void {
    this.chosen.set(uri.toString(), { kernelName, server });
  }

  /** Keeps a chosen kernelspec when its file is renamed. */
  moveChoice(oldUri: string, newUri: string): void {
    const choice = this.chosen.get(oldUri);
    if (choice !== undefined) {
      this.chosen.delete(oldUri);
      this.chosen.set(newUri, choice);
    }
  }

  forDocument(doc: vscode.TextDocument): ContextSpec {
    const notebook = notebookOfCell(doc);
    if (notebook) {
      return this.forNotebook(notebook);
    }
    return this.forUri(doc.uri, doc.languageId);
  }

  forNotebook(notebook: vscode.NotebookDocument): ContextSpec {
    const spec = (notebook.metadata?.metadata as { kernelspec?: { name?: unknown } } | undefined)?.kernelspec;
    const kernelName = typeof spec?.name === 'string' ? spec.name : undefined;
    return this.forUri(notebook.uri, 'python', kernelName);
  }

  /** The context of the focused editor: a text editor's document (or its notebook, for a cell), else the active notebook. */
  active(): ContextSpec | undefined {
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.scheme !== 'output') {
      return this.forDocument(editor.document);
    }
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    return notebook ? this.forNotebook(notebook) : undefined;
  }

  /** For the API: a URI names that document's or notebook's context; a string names a free-standing context. */
  forTarget(target: vscode.Uri | string): ContextSpec {
    if (typeof target === 'string') {
      if (target.trim() === '') {
        throw new TypeError('Kernel Islands: a context name must not be empty.');
      }
      return {
        ...contextSpecFor(target, undefined, this.settings.defaultKernel(), workspaceCwd()),
        server: this.server(),
      };
    }
    const key = target.toString();
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === key);
    if (notebook) {
      return this.forNotebook(notebook);
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    return doc ? this.forDocument(doc) : this.forUri(target, undefined);
  }

  private forUri(uri: vscode.Uri, languageId: string | undefined, kernelName?: string): ContextSpec {
    const choice = this.chosen.get(uri.toString());
    const name =
      kernelName ??
      choice?.kernelName ??
      kernelNameForLanguage(languageId, this.settings.languageKernels(), this.settings.defaultKernel());
    const file = uri.scheme === 'file' ? uri.fsPath : undefined;
    return {
      ...contextSpecFor(uri.toString(), file, name, workspaceCwd(uri)),
      server: choice?.server ?? this.server(),
    };
  }

  private server(): string | undefined {
    return this.settings.defaultServer?.();
  }
}

function workspaceCwd(uri?: vscode.Uri): string | undefined {
  const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

function notebookOfCell(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') {
    return undefined;
  }
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((cell) => cell.document === doc));
}
