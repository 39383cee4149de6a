/**
 * One notebook controller per kernelspec the server offers, for `.ipynb` notebooks (served by VS Code's built-in
 * ipynb extension, so Microsoft's Jupyter extension is not needed). Ids are `kernel-islands:<kernelspec>` so scripts
 * can pick one with `notebook.selectKernel`. The kernelspec a notebook's metadata names gets the preferred affinity.
 */
import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { environmentOfKernel } from '../python/pythonEnvironment';
import type { ErrorReporter } from '../workbench/reportError';
import { notebookKernelHint } from '../workbench/notebookMetadata';
import type { NotebookRunner } from './notebookRunner';

/** The notebook type of `.ipynb` files, served by VS Code's built-in ipynb extension. */
export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';

/** A kernelspec as the server lists it. */
interface NotebookKernelSpec {
  /** Kernelspec name, e.g. `python3`, `ir`. */
  name: string;
  /** Name for people, e.g. `Python 3 (ipykernel)`. */
  displayName: string;
  /** Kernel language, e.g. `python`, `R`. */
  language: string;
}

/** Lists the kernelspecs the Jupyter server offers (starting the server if needed). */
export type ListKernelSpecs = () => Promise<NotebookKernelSpec[]>;

const CONTROLLER_ID_PREFIX = 'kernel-islands:';

/** How often, and how far apart, the preferred controller's selection is tried while the workbench learns of it. */
const SELECT_ATTEMPTS = 20;
const SELECT_RETRY_MS = 250;

/** How the controllers behave; the product passes its logger, settings and extension id. */
interface NotebookControllersOptions {
  logger: Logger;
  /** The one error path (`workbench/reportError`): a failed kernelspec listing reaches the user through it. */
  report: ErrorReporter;
  /** Kernelspec preferred for notebooks whose metadata names none. */
  defaultKernelName: () => string;
  /** This extension's id, which `notebook.selectKernel` needs next to the controller id. */
  extensionId: string;
  /**
   * Selects the preferred controller when a notebook without a selected kernel becomes active. VS Code's own
   * Run resolves a kernel only from the selection (affinity just ranks the picker), so without this every
   * notebook would first ask which kernel to use.
   */
  autoSelect: boolean;
  /**
   * The kernel of the project environment a notebook's folder has (`ki-env-…`), if it runs in one: its controller
   * is preferred over the kernelspec the notebook's metadata names.
   */
  environmentKernel?: (notebook: vscode.NotebookDocument) => string | undefined;
}

/** VS Code language ids for kernel languages whose names differ (Jupyter says `R`, VS Code says `r`). */
function languageId(kernelLanguage: string): string {
  const lower = kernelLanguage.toLowerCase();
  const known: Record<string, string> = { 'c++': 'cpp', 'c#': 'csharp', 'f#': 'fsharp' };
  return known[lower] ?? lower;
}

export class NotebookControllers implements vscode.Disposable {
  private readonly controllers = new Map<string, { spec: NotebookKernelSpec; controller: vscode.NotebookController }>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private listing: Promise<void> | undefined;
  private disposed = false;

  private readonly logger: Logger;

  constructor(
    private readonly runner: NotebookRunner,
    private readonly listKernelSpecs: ListKernelSpecs,
    private readonly options: NotebookControllersOptions,
  ) {
    this.logger = options.logger;
    // Listing kernelspecs starts the Jupyter server, so it waits for the first .ipynb rather than activation.
    this.subscriptions.push(
      vscode.workspace.onDidOpenNotebookDocument((notebook) => this.onOpened(notebook)),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.runner.onClosed(notebook)),
      vscode.window.onDidChangeActiveNotebookEditor((editor) => this.autoSelect(editor)),
    );
    for (const notebook of vscode.workspace.notebookDocuments) {
      this.onOpened(notebook);
    }
    this.autoSelect(vscode.window.activeNotebookEditor);
  }

  /** Kernelspec names that have a controller now. */
  get kernelNames(): string[] {
    return [...this.controllers.keys()];
  }

  /** Lists kernelspecs once; a failed listing is retried on the next notebook or {@link refresh}. */
  ensureListed(): Promise<void> {
    this.listing ??= this.refresh().catch((err: unknown) => {
      this.listing = undefined;
      const message = err instanceof Error ? err.message : String(err);
      this.options.report(new Error(`no notebook kernels, because listing kernelspecs failed: ${message}`));
    });
    return this.listing;
  }

  /**
   * Lists kernelspecs again if they were listed (a server was added or the default server changed); before the
   * first notebook it does nothing, since listing starts the Jupyter server and the first notebook lists anyway.
   */
  relist(): Promise<void> {
    if (!this.listing) {
      return Promise.resolve();
    }
    this.listing = undefined;
    return this.ensureListed();
  }

  /** Re-lists kernelspecs: adds controllers for new ones, drops those of kernelspecs that are gone. */
  async refresh(): Promise<void> {
    const specs = await this.listKernelSpecs();
    if (this.disposed) {
      return;
    }
    const wanted = new Map(specs.map((spec) => [spec.name, spec]));
    for (const [name, entry] of this.controllers) {
      if (!wanted.has(name)) {
        entry.controller.dispose();
        this.controllers.delete(name);
      }
    }
    for (const spec of wanted.values()) {
      const existing = this.controllers.get(spec.name);
      if (existing) {
        existing.spec = spec;
        existing.controller.label = spec.displayName;
        existing.controller.supportedLanguages = [languageId(spec.language)];
      } else {
        this.controllers.set(spec.name, { spec, controller: this.create(spec) });
      }
    }
    for (const notebook of vscode.workspace.notebookDocuments) {
      this.updateAffinity(notebook);
    }
  }

  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    for (const { controller } of this.controllers.values()) {
      controller.dispose();
    }
    this.controllers.clear();
    for (const sub of this.subscriptions.splice(0)) {
      sub.dispose();
    }
  }

  private onOpened(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE) {
      return;
    }
    void this.ensureControllersFor(notebook).then(() => this.updateAffinity(notebook));
  }

  /** Lists kernelspecs once, and again when the notebook's environment has no controller yet (a new project). */
  private async ensureControllersFor(notebook: vscode.NotebookDocument | undefined): Promise<void> {
    await this.ensureListed();
    const wanted = notebook && this.options.environmentKernel?.(notebook);
    if (wanted && !this.controllers.has(wanted)) {
      await this.refresh();
    }
  }

  /**
   * Selects the preferred controller for the active notebook, unless it already has a kernel selected. The first
   * listing may take seconds (it starts Jupyter), and `notebook.selectKernel` acts on whichever notebook is active
   * by then, so the choice is made for that one; a notebook left meanwhile is served when it is active again.
   */
  private autoSelect(editor: vscode.NotebookEditor | undefined): void {
    if (!this.options.autoSelect || editor?.notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE) {
      return;
    }
    void this.ensureControllersFor(editor.notebook)
      .then(() => this.selectForActiveNotebook())
      .catch((err: unknown) => this.logger.warn(`Could not select a notebook kernel: ${String(err)}`));
  }

  private async selectForActiveNotebook(): Promise<void> {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const name = notebook?.notebookType === JUPYTER_NOTEBOOK_TYPE ? this.preferredKernel(notebook) : undefined;
    if (name) {
      const kernel = {
        id: CONTROLLER_ID_PREFIX + name,
        extension: this.options.extensionId,
        skipIfAlreadySelected: true,
      };
      // A controller created a moment ago (a new project's environment) may not be known to the workbench yet: the
      // command then answers false, and is asked again for a few seconds.
      for (let attempt = 0; attempt < SELECT_ATTEMPTS; attempt++) {
        if (await vscode.commands.executeCommand<boolean>('notebook.selectKernel', kernel)) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, SELECT_RETRY_MS));
        if (vscode.window.activeNotebookEditor?.notebook !== notebook) {
          return;
        }
      }
      this.logger.warn(
        `Notebook ${notebook?.uri.toString()}: VS Code did not take kernel ${name} in ${(SELECT_ATTEMPTS * SELECT_RETRY_MS) / 1000} s; pick one with Select Kernel.`,
      );
    }
  }

  private create(spec: NotebookKernelSpec): vscode.NotebookController {
    const controller = vscode.notebooks.createNotebookController(
      CONTROLLER_ID_PREFIX + spec.name,
      JUPYTER_NOTEBOOK_TYPE,
      spec.displayName,
      (cells, notebook, ctl) => this.runner.execute(cells, notebook, spec.name, ctl),
    );
    controller.description = 'Kernel Islands';
    const environment = environmentOfKernel(spec.name);
    controller.detail = environment
      ? `A kernel of this notebook's own, in ${environment.python}`
      : `A ${spec.name} kernel of this notebook's own`;
    controller.supportedLanguages = [languageId(spec.language)];
    controller.supportsExecutionOrder = true;
    controller.interruptHandler = (notebook) => this.runner.interrupt(notebook);
    this.subscriptions.push(
      controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => {
        this.logger.info(
          `Notebook ${notebook.uri.toString()}: kernel ${spec.name} ${selected ? 'selected' : 'unselected'}.`,
        );
        if (selected) {
          void this.runner
            .onKernelSelected(notebook, spec.name)
            .catch((err: unknown) => this.logger.error(String(err)));
        }
      }),
    );
    return controller;
  }

  /**
   * Prefers the project environment of the notebook's folder; then the kernelspec the notebook names; failing that,
   * one of the notebook's language.
   */
  private updateAffinity(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== JUPYTER_NOTEBOOK_TYPE || notebook.isClosed) {
      return;
    }
    const preferred = this.preferredKernel(notebook);
    for (const [name, { controller }] of this.controllers) {
      const affinity =
        name === preferred ? vscode.NotebookControllerAffinity.Preferred : vscode.NotebookControllerAffinity.Default;
      controller.updateNotebookAffinity(notebook, affinity);
    }
  }

  private preferredKernel(notebook: vscode.NotebookDocument): string | undefined {
    const environment = this.options.environmentKernel?.(notebook);
    if (environment && this.controllers.has(environment)) {
      return environment;
    }
    const hint = notebookKernelHint(notebook.metadata);
    if (hint.name && this.controllers.has(hint.name)) {
      return hint.name;
    }
    const fallback = this.options.defaultKernelName();
    const sameLanguage = [...this.controllers.values()].filter(
      ({ spec }) => hint.language === undefined || languageId(spec.language) === languageId(hint.language),
    );
    return (sameLanguage.find(({ spec }) => spec.name === fallback) ?? sameLanguage[0])?.spec.name;
  }
}
