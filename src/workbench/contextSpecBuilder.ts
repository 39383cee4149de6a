// The one builder of context specs from what VS Code shows: a text document, a notebook, a notebook cell's editor,
// or an API target. Every surface asks it, so a notebook is the same context with the same set-up whether it is
// run from the notebook, from a cell's text editor or through the API.
import * as vscode from 'vscode';
import { LOCAL_SERVER } from '../jupyter/types';
import { environmentKernelName, isEnvironmentKernel } from '../python/pythonEnvironment';
import { hostPlatform, type Platform } from '../common/platform';
import { contextKindOfId, contextSpec, documentKey, isDocumentId } from '../kernels/contextSpec';
import { kernelNameForLanguage } from '../kernels/languageKernels';
import type { ContextKind, ContextSpec } from '../kernels/types';
import { type KernelChoice, type KernelChoiceSettings, kernelNameFor } from './kernelChoice';
import { notebookKernelHint } from './notebookMetadata';

/** Where the builder learns a document's Python environment. */
interface EnvironmentLookup {
  /** The interpreter of the environment a document or notebook runs in; undefined for the server's own Python. */
  pythonFor(uri: vscode.Uri): string | undefined;
  /** The kernelspec a context's kernel runs now, if it has one: a context keeps its environment while it lives. */
  currentKernel(id: string): string | undefined;
}

/**
 * Says which context a document, notebook or API target belongs to. A notebook cell's editor belongs to its
 * notebook, so running a selection in a cell lands in the notebook's kernel.
 */
export class ContextSpecBuilder {
  /** Kernelspecs chosen for documents (Select Kernel) and notebooks (their controller), by URI. */
  private readonly chosen = new Map<string, KernelChoice>();

  constructor(
    private readonly settings: KernelChoiceSettings,
    private readonly environments?: EnvironmentLookup,
    private readonly platform: Platform = hostPlatform(),
  ) {}

  /** Makes `kernelName` (on `server`) the kernel of this document's or notebook's context from its next start. */
  chooseKernel(uri: vscode.Uri, kernelName: string, server?: string): void {
    this.chosen.set(uri.toString(), { kernelName, server });
  }

  /**
   * The server's own Python for this document's or notebook's context from its next start (the offer after its
   * environment could not run the kernel): its language's kernelspec on the local server, whatever the folder has.
   */
  useServerPython(id: string): void {
    const python = kernelNameForLanguage('python', this.settings.languageKernels(), this.settings.defaultKernel());
    this.chosen.set(id, { kernelName: python, server: LOCAL_SERVER });
  }

  /**
   * Drops the choice made for an untitled buffer once its last tab closed: VS Code gives the next new untitled
   * buffer the same `untitled:Untitled-1` URI, which must not inherit a closed buffer's kernel (or a server removed
   * since). A file or notebook keeps its choice.
   */
  forgetUntitledChoice(id: string): void {
    if (contextKindOfId(id) === 'untitled') {
      this.chosen.delete(id);
    }
  }

  /** Keeps a chosen kernelspec when its file is renamed. */
  moveChoice(oldUri: string, newUri: string): void {
    const choice = this.chosen.get(oldUri);
    if (choice !== undefined) {
      this.chosen.delete(oldUri);
      this.chosen.set(newUri, choice);
    }
  }

  /** A text document's context; a notebook cell's document belongs to its notebook. */
  forDocument(doc: vscode.TextDocument): ContextSpec {
    const notebook = notebookOfCell(doc);
    if (notebook) {
      return this.forNotebook(notebook);
    }
    const kind: ContextKind = doc.isUntitled ? 'untitled' : 'file';
    return this.forUri(doc.uri, kind, { language: doc.languageId });
  }

  /**
   * A notebook's context, as in Jupyter: it runs in the notebook's folder, without `__file__`, with the kernelspec
   * of its controller (`kernelName`, when a controller runs it), else the one its metadata names.
   */
  forNotebook(notebook: vscode.NotebookDocument, kernelName?: string): ContextSpec {
    const hint = notebookKernelHint(notebook.metadata);
    return this.forUri(notebook.uri, 'notebook', { declared: hint.name, language: hint.language }, kernelName);
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

  /**
   * For the API: a URI names that document's or notebook's context, and so does a string that is one's URI; any
   * other string names a free-standing context (`agent:…` an agent's, anything else a named one).
   */
  forTarget(target: vscode.Uri | string): ContextSpec {
    if (typeof target === 'string') {
      if (target.trim() === '') {
        throw new TypeError('Kernel Islands: a context name must not be empty.');
      }
      if (!isDocumentId(target)) {
        return contextSpec({
          id: target,
          fallbackCwd: workspaceCwd(),
          kernelName: this.settings.defaultKernel(),
          server: this.server(),
        });
      }
      target = vscode.Uri.parse(target);
    }
    // An open document is found however the target spells its path (a Windows drive's or path's case).
    const key = documentKey(target, this.platform);
    const isTarget = (uri: vscode.Uri) => documentKey(uri, this.platform) === key;
    const notebook = vscode.workspace.notebookDocuments.find((nb) => isTarget(nb.uri));
    if (notebook) {
      return this.forNotebook(notebook);
    }
    const doc = vscode.workspace.textDocuments.find((d) => isTarget(d.uri));
    return doc ? this.forDocument(doc) : this.forUri(target, undefined, {});
  }

  /** `kind` undefined: a URI nothing is open for, whose kind its id tells. */
  private forUri(
    uri: vscode.Uri,
    kind: ContextKind | undefined,
    clues: { declared?: string; language?: string },
    kernelName?: string,
  ): ContextSpec {
    const choice = this.chosen.get(uri.toString());
    const named = kernelName ?? kernelNameFor({ chosen: choice?.kernelName, ...clues }, this.settings);
    const server = choice?.server ?? this.server();
    // Environments are on this machine: a document whose kernels go to a remote server by default stays there.
    const local = (server ?? LOCAL_SERVER) === LOCAL_SERVER;
    const inEnvironment =
      kernelName === undefined && choice === undefined && local ? this.environmentKernel(uri, named) : undefined;
    return contextSpec({
      id: uri.toString(),
      kind,
      filePath: uri.scheme === 'file' ? uri.fsPath : undefined,
      fallbackCwd: workspaceCwd(uri),
      kernelName: inEnvironment ?? named,
      server,
    });
  }

  /**
   * The project environment's kernel for a Python document that nobody chose a kernel for: the one its context runs
   * now (a context keeps its environment while it lives, so a deleted venv is reported instead of replaced), else
   * the environment discovery finds. Undefined: the server's own Python (`named`).
   */
  private environmentKernel(uri: vscode.Uri, named: string): string | undefined {
    const python = kernelNameForLanguage('python', this.settings.languageKernels(), this.settings.defaultKernel());
    if (!this.environments || named !== python) {
      return undefined;
    }
    const current = this.environments.currentKernel(uri.toString());
    if (current !== undefined) {
      return isEnvironmentKernel(current) ? current : undefined;
    }
    const found = this.environments.pythonFor(uri);
    return found ? environmentKernelName(found) : undefined;
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
