import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import type { Logger } from '../common/log';
import { contextIdFromArg, type ContextArg } from '../workbench/contextArg';
import { errorReporter } from '../workbench/reportError';
import { commandRegistrar, givenAnArgument, type CommandOptions } from '../workbench/reportedCommands';
import type { IContextRegistry } from '../kernels/types';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { CellDebugging } from './cellDebugging';
import type { DocumentCells } from './documentCells';
import { LastEditor } from './lastEditor';
import type { EditorRunner } from './editorRunner';
import { attachToContext, detach, selectKernel } from './kernelCommands';
import type { KernelSpecListing } from '../kernels/kernelSpecs';

/** What the editor commands act on. */
interface EditorCommandDeps {
  registry: IContextRegistry;
  contexts: ContextSpecBuilder;
  runner: EditorRunner;
  debugging: CellDebugging;
  cells: DocumentCells;
  /** The language ids this extension runs (`kernelIslands.languages`). */
  languages: () => readonly string[];
  listSpecs: () => Promise<KernelSpecListing>;
  log: Logger;
  showLog: () => void;
}

/** The argument of `kernelIslands.runKey`: the key its keybinding was pressed with. */
interface KeyArg {
  key?: unknown;
}

/** The editor of `uri` (a code lens names its document), else the active text editor. */
async function editorFor(uri: unknown, active: () => Promise<vscode.TextEditor | undefined>) {
  if (uri instanceof vscode.Uri) {
    const key = uri.toString();
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
    return visible ?? vscode.window.showTextDocument(uri);
  }
  return active();
}

function lineArg(arg: unknown): number | undefined {
  return typeof arg === 'number' ? arg : undefined;
}

function noEditor(): undefined {
  void vscode.window.showInformationMessage('Kernel Islands: open a file and put the cursor on the code to run.');
  return undefined;
}

/**
 * Registers the editor commands. Each acts on the active editor's context (a notebook cell's editor acts on its
 * notebook's context); kernel commands also accept a context id (from the Kernels view).
 */
export function registerEditorCommands(deps: EditorCommandDeps): vscode.Disposable {
  const { registry, contexts, runner, debugging, cells, languages, listSpecs, log, showLog } = deps;
  // Failures become one clear error message (workbench/reportError); the command itself resolves, scripted or not.
  const command = commandRegistrar(errorReporter(log, showLog));
  const lastEditor = new LastEditor(vscode.window);

  /**
   * A command on an editor: `body` gets the editor (from a lens's URI or the active one) and the second argument
   * (a lens's line, or a scripted choice such as a kernelspec name).
   */
  const run = (
    name: string,
    body: (editor: vscode.TextEditor, arg: unknown) => Promise<unknown>,
    options?: CommandOptions<[unknown?, unknown?]>,
  ) =>
    command(
      name,
      async (uri?: unknown, arg?: unknown) => {
        traceMark('editor.command');
        const editor = await editorFor(uri, () => lastEditor.soon());
        if (!editor) {
          log.warn(`${name}: no text editor to run from`);
          return noEditor();
        }
        return body(editor, arg);
      },
      options,
    );

  /** A kernel command on the context named by the argument, or the active editor's context. */
  const onContext = (name: string, action: (id: string, label: string) => Promise<void>) =>
    command(name, async (arg?: ContextArg) => {
      const spec = contexts.active();
      const id = contextIdFromArg(arg) ?? spec?.id;
      const info = id ? registry.get(id) : undefined;
      if (!id || !info) {
        void vscode.window.showInformationMessage(
          spec ? `Kernel Islands: ${spec.label} has no kernel yet.` : 'Kernel Islands: no active editor.',
        );
        return;
      }
      await action(id, info.label);
    });

  return vscode.Disposable.from(
    lastEditor,
    run('kernelIslands.runSelection', (editor) => runner.runSelection(editor)),
    run('kernelIslands.runLine', (editor) => runner.runLine(editor)),
    run('kernelIslands.runCell', (editor, line) =>
      typeof line === 'number' ? runner.runCellAt(editor, line) : runner.runCell(editor),
    ),
    run('kernelIslands.runCellAndAdvance', (editor) => runner.runCellAndAdvance(editor)),
    // A scripted call (given the document) also rejects when debugging cannot start, so the caller learns why.
    run('kernelIslands.debugCell', (editor, line) => debugging.debug(editor, 'cell', lineArg(line)), {
      rejectsWhen: givenAnArgument,
    }),
    run('kernelIslands.debugFile', (editor) => debugging.debug(editor, 'file'), { rejectsWhen: givenAnArgument }),
    // Shift+Enter and Ctrl+Enter pressed before this extension set its context keys (right after a window reload,
    // while it activates): what those keys do once it has, decided here instead of by the keybindings' when clauses.
    command('kernelIslands.runKey', async (arg?: KeyArg) => {
      // Bound only while the extension activates: the host may not know the focused editor yet.
      const editor = await lastEditor.soon(true);
      if (!editor) {
        log.warn(`${String(arg?.key)}: no text editor to run from`);
        return noEditor();
      }
      const doc = editor.document;
      if (!languages().includes(doc.languageId)) {
        log.info(`${String(arg?.key)} in a ${doc.languageId} editor: not a language of kernelIslands.languages.`);
        return undefined;
      }
      if (arg?.key === 'ctrl+enter') {
        return runner.runCell(editor);
      }
      const cellKey = editor.selection.isEmpty && (cells.tryOf(doc)?.hasMarkers ?? false);
      return cellKey ? runner.runCellAndAdvance(editor) : runner.runSelection(editor);
    }),
    run('kernelIslands.runAbove', (editor, line) => runner.runAbove(editor, lineArg(line))),
    run('kernelIslands.runBelow', (editor, line) => runner.runBelow(editor, lineArg(line))),
    run('kernelIslands.runFile', (editor) => runner.runFile(editor)),
    run('kernelIslands.restartKernelAndRunAbove', async (editor, line) => {
      const id = contexts.forDocument(editor.document).id;
      if (registry.get(id)) {
        await registry.restart(id);
      }
      return runner.runAbove(editor, lineArg(line));
    }),
    run('kernelIslands.selectKernel', (editor, name) =>
      selectKernel(registry, contexts, listSpecs, editor, typeof name === 'string' ? name : undefined),
    ),
    run('kernelIslands.attachToContext', (editor, target) =>
      attachToContext(registry, contexts, editor, typeof target === 'string' ? target : undefined),
    ),
    run('kernelIslands.detach', async (editor) => detach(registry, contexts, editor)),
    onContext('kernelIslands.interruptKernel', (id) => registry.interrupt(id)),
    onContext('kernelIslands.restartKernel', async (id, label) => {
      await registry.restart(id);
      void vscode.window.showInformationMessage(
        `Kernel Islands: restarted the kernel of ${label}; its state is cleared.`,
      );
    }),
    onContext('kernelIslands.shutdownKernel', (id) => registry.shutdown(id)),
  );
}
