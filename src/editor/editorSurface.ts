import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { inputBoxStdin } from '../workbench/stdinPrompt';
import type { IContextRegistry } from '../kernels/types';
import { CellDebugging } from './cellDebugging';
import { CellCodeLenses } from './cellLenses';
import { highlightCurrentCell } from './currentCellHighlight';
import { DocumentCells, type CellSettings } from './documentCells';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import { registerEditorCommands } from './editorCommands';
import { watchEditorContextKeys } from './editorContextKeys';
import { EditorRunner } from './editorRunner';
import { InlineResults } from './inlineResults';
import { registerKernelInspection, type KernelInspectionSettings } from './kernelInspection';
import type { KernelSpecListing } from '../kernels/kernelSpecs';
import { RunLocations } from './runLocations';
import { StatementFinder } from './statementAtCursor';
import type { SyntaxTrees } from '../workbench/syntaxTrees';

/** The editor settings the surface reads (live, so changes apply without a reload). */
interface EditorSettings extends CellSettings, KernelInspectionSettings {
  languages(): readonly string[];
  inlineResultsEnabled(): boolean;
  /** Shift+Enter without a selection runs the whole statement at the cursor (`kernelIslands.run.statementAware`). */
  statementAware(): boolean;
  onDidChange(listener: () => void): vscode.Disposable;
}

/** What the editor surface is built from. */
interface EditorSurfaceOptions {
  registry: IContextRegistry;
  contexts: ContextSpecBuilder;
  settings: EditorSettings;
  listSpecs: () => Promise<KernelSpecListing>;
  log: Logger;
  showLog: () => void;
  /** Parses Python and R documents for statement-aware runs (grammars load on first use). */
  syntaxTrees: SyntaxTrees;
}

/** The editor surface: its parts that others observe, and one disposable for all of it. */
interface EditorSurface extends vscode.Disposable {
  readonly locations: RunLocations;
  readonly inline: InlineResults;
}

/**
 * Builds the editor surface: run and debug commands, cell lenses, the current-cell highlight, inline results, the
 * keybinding context keys, and the kernel's hovers and completions.
 */
export function createEditorSurface(options: EditorSurfaceOptions): EditorSurface {
  const { registry, contexts, settings, listSpecs, log, showLog, syntaxTrees } = options;
  const languages = () => settings.languages();
  const cells = new DocumentCells(settings);
  const inline = new InlineResults(() => settings.inlineResultsEnabled());
  const locations = new RunLocations();
  const statements = new StatementFinder(syntaxTrees, () => settings.statementAware(), log);
  const runner = new EditorRunner({ registry, contexts, cells, inline, locations, stdin: inputBoxStdin, statements });
  const lenses = new CellCodeLenses(cells, languages);
  const debugging = new CellDebugging({ registry, contexts, runner });
  const parts = vscode.Disposable.from(
    inline,
    lenses,
    debugging,
    vscode.languages.registerCodeLensProvider([{ scheme: 'file' }, { scheme: 'untitled' }], lenses),
    registerEditorCommands({ registry, contexts, runner, debugging, cells, languages, listSpecs, log, showLog }),
    watchEditorContextKeys(cells, languages, (l) => settings.onDidChange(l)),
    highlightCurrentCell(cells, languages),
    registerKernelInspection(registry, contexts, settings),
    settings.onDidChange(() => {
      lenses.refresh();
      if (!settings.inlineResultsEnabled()) {
        inline.clear();
      }
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      cells.forget(doc);
      statements.forget(doc);
    }),
    syntaxTrees,
    registry.onDidChangeContexts((e) => {
      if (e.type === 'removed') {
        locations.forget(e.context.id);
      } else if (e.type === 'renamed' && e.oldId) {
        locations.move(e.oldId, e.context.id);
        contexts.moveChoice(e.oldId, e.context.id);
      }
    }),
  );
  return { locations, inline, dispose: () => parts.dispose() };
}
