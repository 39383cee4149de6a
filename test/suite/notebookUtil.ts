/**
 * Helpers for the notebook in-host tests: writing .ipynb files, opening them, picking a Kernel Islands controller,
 * running cells with VS Code's own commands and reading their outputs back.
 */
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { PRODUCT_ID, ScratchFolder, getApi, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

/** How long a cell may take in these tests (kernel start included; the machine is shared and slow). */
export const CELL_TIMEOUT_MS = 60_000;

const PYTHON_SPEC = { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' };
const decoder = new TextDecoder();

/**
 * Fails fast, with the reason, when the product has not registered its notebook surface: otherwise every notebook
 * test would wait out its timeout for controllers that never come.
 */
export async function requireNotebookSurface(): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (!commands.includes('kernelIslands.notebook.restartKernel')) {
    throw new Error('the notebook surface is not registered (createNotebookSurface is not called on activation)');
  }
}

/** What a notebook suite shares: its scratch folder, the product's API, and what its end closes and shuts down. */
export interface NotebookSuite {
  readonly scratch: ScratchFolder;
  /** The product's API (set by the suite's set-up, so read it inside tests and hooks). */
  readonly api: KernelIslandsApi;
  /** The notebooks tracked so far, in order. */
  readonly opened: readonly vscode.NotebookDocument[];
  /** Closes `target` at the suite's end (a notebook is saved first, an untitled one reverted) and ends its kernel. */
  track(target: vscode.NotebookDocument | vscode.Uri | string): void;
  /** Writes `name` with one code cell per source, shows it in `column` and selects `python3`; tracked. */
  open(name: string, sources: string[], column?: vscode.ViewColumn): Promise<vscode.NotebookDocument>;
}

/**
 * The one set-up of the notebook suites, called inside a `suite`: its set-up gets the API and fails fast without the
 * notebook surface; its teardown saves (so closing asks nothing) or reverts every tracked notebook, closes all
 * editors, shuts down every tracked context that has a kernel and deletes the scratch folder.
 */
export function notebookSuite(): NotebookSuite {
  const scratch = new ScratchFolder();
  const notebooks: vscode.NotebookDocument[] = [];
  const targets: Array<vscode.Uri | string> = [];
  let api: KernelIslandsApi | undefined;

  suiteSetup(async () => {
    api = await getApi();
    await requireNotebookSurface();
  });

  suiteTeardown(async () => {
    const uris = new Set(targets.map(String));
    const open = vscode.workspace.notebookDocuments.filter((nb) => uris.has(nb.uri.toString()));
    const live = [...new Set([...notebooks, ...open])].filter((nb) => !nb.isClosed);
    for (const notebook of live.filter((nb) => nb.uri.scheme === 'file')) {
      await notebook.save();
    }
    for (const notebook of live.filter((nb) => nb.isUntitled)) {
      await showDocument(notebook);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const target of [...notebooks.map((nb) => nb.uri), ...targets]) {
      await shutdownIfLive(api, target);
    }
    await scratch.dispose();
  });

  const suite: NotebookSuite = {
    scratch,
    get api(): KernelIslandsApi {
      if (!api) {
        throw new Error('the notebook suite has no API yet: read it inside a test or hook, after its set-up');
      }
      return api;
    },
    opened: notebooks,
    track(target) {
      if (target instanceof vscode.Uri || typeof target === 'string') {
        targets.push(target);
      } else {
        notebooks.push(target);
      }
    },
    async open(name, sources, column = vscode.ViewColumn.One) {
      const editor = await showNotebook(await writeNotebook(scratch, name, sources), column);
      suite.track(editor.notebook);
      await selectKernel(editor, 'python3');
      return editor.notebook;
    },
  };
  return suite;
}

/** Writes an nbformat 4 notebook with one code cell per source string. */
export async function writeNotebook(
  scratch: ScratchFolder,
  name: string,
  sources: string[],
  kernelspec: { name: string; display_name: string; language: string } = PYTHON_SPEC,
): Promise<vscode.Uri> {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec, language_info: { name: kernelspec.language.toLowerCase() } },
    cells: sources.map((source, i) => ({
      id: `cell-${i}`,
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source,
    })),
  };
  return scratch.file(name, JSON.stringify(notebook, null, 1));
}

/** Opens a notebook in `column` and makes its editor the active one. */
export async function showNotebook(uri: vscode.Uri, column = vscode.ViewColumn.One): Promise<vscode.NotebookEditor> {
  const document = await vscode.workspace.openNotebookDocument(uri);
  return showDocument(document, column);
}

export async function showDocument(
  document: vscode.NotebookDocument,
  column = vscode.ViewColumn.One,
): Promise<vscode.NotebookEditor> {
  const editor = await vscode.window.showNotebookDocument(document, { viewColumn: column, preserveFocus: false });
  await waitFor(
    `${document.uri.toString()} to be the active notebook`,
    () => vscode.window.activeNotebookEditor?.notebook === document,
  );
  return editor;
}

/**
 * Selects the `kernel-islands:<kernelName>` controller for the active notebook. Controllers appear once the
 * product has listed kernelspecs (which starts the Jupyter server), so this retries until the controller exists.
 */
export async function selectKernel(editor: vscode.NotebookEditor, kernelName: string): Promise<void> {
  await showDocument(editor.notebook, editor.viewColumn);
  const args = { id: `kernel-islands:${kernelName}`, extension: PRODUCT_ID };
  const deadline = Date.now() + CELL_TIMEOUT_MS;
  while (!(await vscode.commands.executeCommand<boolean>('notebook.selectKernel', args))) {
    if (Date.now() > deadline) {
      throw new Error(`controller kernel-islands:${kernelName} did not appear within ${CELL_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs every cell of the notebook ("Run All"); returns once the cells are queued, not when they finish. */
export async function runAll(notebook: vscode.NotebookDocument): Promise<void> {
  await vscode.commands.executeCommand('notebook.execute', notebook.uri);
}

/** Runs one cell by index. */
export async function runCell(notebook: vscode.NotebookDocument, index: number): Promise<void> {
  await vscode.commands.executeCommand('notebook.cell.execute', {
    ranges: [{ start: index, end: index + 1 }],
    document: notebook.uri,
  });
}

/** Adds a code cell at the end and returns its index. */
export async function appendCell(notebook: vscode.NotebookDocument, source: string): Promise<number> {
  const index = notebook.cellCount;
  const edit = new vscode.WorkspaceEdit();
  const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, 'python');
  edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [cell])]);
  await vscode.workspace.applyEdit(edit);
  return index;
}

/** Waits until the cells at `indexes` finished a run that ended after `since` (ms since epoch). */
export async function waitForCells(
  notebook: vscode.NotebookDocument,
  indexes: number[],
  since: number,
  timeoutMs = CELL_TIMEOUT_MS,
): Promise<void> {
  await waitFor(
    `cells ${indexes.join(', ')} of ${notebook.uri.path} to finish`,
    () =>
      indexes.every((i) => {
        const summary = notebook.cellAt(i).executionSummary;
        return summary?.success !== undefined && (summary.timing?.endTime ?? since) >= since;
      }),
    timeoutMs,
  );
}

/** Runs one cell and waits for it to finish. */
export async function runCellAndWait(notebook: vscode.NotebookDocument, index: number): Promise<vscode.NotebookCell> {
  const since = Date.now();
  await runCell(notebook, index);
  await waitForCells(notebook, [index], since);
  return notebook.cellAt(index);
}

/** A cell output item read back: its mime and its text (errors are JSON with name, message and stack). */
export interface ReadItem {
  mime: string;
  text: string;
}

export function cellItems(cell: vscode.NotebookCell): ReadItem[][] {
  return cell.outputs.map((o) => o.items.map((item) => ({ mime: item.mime, text: decoder.decode(item.data) })));
}

/** All stream and text/plain text of a cell, joined: what a person reads. */
export function cellText(cell: vscode.NotebookCell): string {
  return cellItems(cell)
    .map((items) => {
      const streams = items.filter((i) => i.mime.startsWith('application/vnd.code.notebook.std'));
      return streams.length > 0
        ? streams.map((i) => i.text).join('')
        : (items.find((i) => i.mime === 'text/plain')?.text ?? '');
    })
    .join('');
}

/** The error a cell shows, if any. */
export function cellError(cell: vscode.NotebookCell): { name: string; message: string; stack: string } | undefined {
  const item = cellItems(cell)
    .flat()
    .find((i) => i.mime === 'application/vnd.code.notebook.error');
  return item && (JSON.parse(item.text) as { name: string; message: string; stack: string });
}

/** Strips ANSI colour codes from kernel tracebacks. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[\d;]*m/g, '');
}
