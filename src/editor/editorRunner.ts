import * as vscode from 'vscode';
import type { StdinPrompt } from '../workbench/stdinPrompt';
import { RunGroup } from '../kernels/registry/runGroup';
import type { ExecutionResult, IContextRegistry } from '../kernels/types';
import { cellCode, cellIndexAt, lastCodeLine, type Cell } from './cells';
import { advanceTo, linesText, selectedCode } from './codeAtCursor';
import { dedent } from './codeText';
import type { DocumentCells } from './documentCells';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { InlineResults } from './inlineResults';
import type { RunLocations } from './runLocations';
import type { StatementFinder } from './statementAtCursor';

/** A piece of a document to run: its code and the document lines it spans (0-based). */
export interface Piece {
  code: string;
  firstLine: number;
  lastLine: number;
}

/** What the runner needs; passed in so the pieces stay replaceable. */
interface EditorRunnerDeps {
  registry: IContextRegistry;
  contexts: ContextSpecBuilder;
  cells: DocumentCells;
  inline: InlineResults;
  locations: RunLocations;
  stdin: StdinPrompt;
  statements: StatementFinder;
}

/**
 * Runs parts of an editor's document (selection, line, cell, cells above/below, file) in the document's own
 * context. Each run shows an inline result and records where its code came from, for traceback links.
 */
export class EditorRunner {
  /** The last Shift+Enter's search for its statement (see `runSelection`). */
  private pressed: Promise<void> = Promise.resolve();

  constructor(private readonly deps: EditorRunnerDeps) {}

  /**
   * The selection; without one, the statement at the cursor (the line itself where there is no statement to find),
   * after which the cursor moves to the next statement.
   */
  runSelection(editor: vscode.TextEditor): Promise<ExecutionResult | undefined> {
    // Finding the statement may wait for the parser: presses are taken in order, so each one reads the cursor
    // where the press before it left it.
    const piece = this.pressed.then(() => this.pieceAtCursor(editor));
    this.pressed = piece.then(
      () => undefined,
      () => undefined,
    );
    return piece.then((p) => p && this.run(editor.document, p.piece, p.linesMatch));
  }

  private async pieceAtCursor(editor: vscode.TextEditor): Promise<{ piece: Piece; linesMatch: boolean } | undefined> {
    const selected = selectedCode(editor);
    if (selected) {
      // Several selections run joined: their line numbers no longer match the document's.
      return { piece: selected, linesMatch: selected.count <= 1 };
    }
    const doc = editor.document;
    const lines = await this.deps.statements.at(doc, editor.selection.active.line);
    // Move first, so pressing Shift+Enter repeatedly queues statement after statement without waiting for results.
    await advanceTo(editor, lines.nextLine);
    if (!lines.runs) {
      return undefined;
    }
    return {
      piece: {
        code: linesText(doc, lines.firstLine, lines.lastLine),
        firstLine: lines.firstLine,
        lastLine: lines.lastLine,
      },
      linesMatch: true,
    };
  }

  /** The current line, without moving the cursor. */
  runLine(editor: vscode.TextEditor): Promise<ExecutionResult | undefined> {
    const line = editor.selection.active.line;
    return this.run(editor.document, { code: editor.document.lineAt(line).text, firstLine: line, lastLine: line });
  }

  /** The cell that holds the cursor (the whole file when it has no cell markers). */
  runCell(editor: vscode.TextEditor): Promise<ExecutionResult | undefined> {
    const { lines, cells } = this.deps.cells.of(editor.document);
    const cell = cells[cellIndexAt(cells, editor.selection.active.line)];
    return this.run(editor.document, pieceOf(lines, cell));
  }

  /** Runs the cell at `line` (for code lenses, which name their cell by line). */
  runCellAt(editor: vscode.TextEditor, line: number): Promise<ExecutionResult | undefined> {
    const { lines, cells } = this.deps.cells.of(editor.document);
    return this.run(editor.document, pieceOf(lines, cells[cellIndexAt(cells, line)]));
  }

  /** Runs the cell, then moves to the next cell's first code line, adding a new cell at the end of the file. */
  async runCellAndAdvance(editor: vscode.TextEditor): Promise<ExecutionResult | undefined> {
    const doc = editor.document;
    const { lines, cells } = this.deps.cells.of(doc);
    const index = cellIndexAt(cells, editor.selection.active.line);
    const piece = pieceOf(lines, cells[index]);
    const next = cells[index + 1];
    let target: vscode.Position;
    if (next) {
      target = new vscode.Position(Math.min(next.codeStartLine, doc.lineCount - 1), 0);
    } else {
      const end = doc.lineAt(doc.lineCount - 1).range.end;
      const prefix = doc.lineAt(doc.lineCount - 1).text === '' ? '' : '\n';
      await editor.edit((edit) => edit.insert(end, `${prefix}\n${this.deps.cells.newMarker(doc)}\n`));
      target = new vscode.Position(doc.lineCount - 1, 0);
    }
    editor.selection = new vscode.Selection(target, target);
    editor.revealRange(new vscode.Range(target, target));
    return this.run(doc, piece);
  }

  /** The cells before the one at `line`, one run each; the ones after a failure do not run. */
  runAbove(editor: vscode.TextEditor, line = editor.selection.active.line): Promise<ExecutionResult | undefined> {
    const { lines, cells } = this.deps.cells.of(editor.document);
    const above = cells.slice(0, cellIndexAt(cells, line));
    if (above.length === 0) {
      void vscode.window.showInformationMessage('Kernel Islands: there are no cells above this one.');
    }
    return this.runAll(editor.document, lines, above);
  }

  /** The cell at `line` and every cell after it; the ones after a failure do not run. */
  runBelow(editor: vscode.TextEditor, line = editor.selection.active.line): Promise<ExecutionResult | undefined> {
    const { lines, cells } = this.deps.cells.of(editor.document);
    return this.runAll(editor.document, lines, cells.slice(cellIndexAt(cells, line)));
  }

  /** The whole document, as one run. */
  runFile(editor: vscode.TextEditor): Promise<ExecutionResult | undefined> {
    const doc = editor.document;
    return this.run(doc, { code: doc.getText(), firstLine: 0, lastLine: lastNonBlankLine(doc) });
  }

  /**
   * What Debug Cell or Debug File runs: the code exactly as it is sent (dedented, which keeps its lines) and where
   * it starts, so the debugger can map lines. `cell`: the cell at `line` (else the cursor's); in a file without
   * markers, the selection (one), else the statement at the cursor. `file`: the whole document.
   */
  async pieceToDebug(editor: vscode.TextEditor, which: 'cell' | 'file', line?: number): Promise<Piece> {
    const doc = editor.document;
    if (which === 'file') {
      return { code: dedent(doc.getText()), firstLine: 0, lastLine: lastNonBlankLine(doc) };
    }
    const { lines, cells, hasMarkers } = this.deps.cells.of(doc);
    const selected = selectedCode(editor);
    let piece: Piece;
    if (hasMarkers || line !== undefined) {
      piece = pieceOf(lines, cells[cellIndexAt(cells, line ?? editor.selection.active.line)]);
    } else if (selected && selected.count === 1) {
      piece = selected;
    } else {
      const at = await this.deps.statements.at(doc, editor.selection.active.line);
      piece = { code: linesText(doc, at.firstLine, at.lastLine), firstLine: at.firstLine, lastLine: at.lastLine };
    }
    return { code: dedent(piece.code), firstLine: piece.firstLine, lastLine: piece.lastLine };
  }

  /** Runs a piece as the run commands do (its inline result, its run location); undefined when it is blank. */
  runPiece(doc: vscode.TextDocument, piece: Piece): Promise<ExecutionResult | undefined> {
    return this.run(doc, piece);
  }

  /**
   * Queues the cells at once as one run group: the registry runs them one after another and ends the ones after a
   * failure unrun (their inline results say so). Resolves the first result that is not ok, else the last one.
   */
  private async runAll(doc: vscode.TextDocument, lines: string[], cells: Cell[]) {
    const group = new RunGroup();
    const results = await Promise.all(cells.map((cell) => this.run(doc, pieceOf(lines, cell), true, group)));
    const ran = results.filter((r): r is ExecutionResult => r !== undefined);
    return ran.find((r) => r.status !== 'ok') ?? ran.at(-1);
  }

  /** Runs a piece in the document's context, with its inline result; resolves undefined when it is blank. */
  private async run(
    doc: vscode.TextDocument,
    piece: Piece,
    linesMatch = true,
    group?: RunGroup,
  ): Promise<ExecutionResult | undefined> {
    if (piece.code.trim() === '') {
      return undefined;
    }
    const { registry, contexts, inline, locations, stdin } = this.deps;
    const spec = contexts.forDocument(doc);
    const shown = inline.start(doc, piece.firstLine, piece.lastLine);
    try {
      const result = await registry.execute(spec, dedent(piece.code), { source: 'editor', onStdin: stdin, group });
      if (linesMatch) {
        locations.record(spec.id, result.executionCount, {
          uri: doc.uri.toString(),
          firstLine: piece.firstLine,
          lastLine: piece.lastLine,
        });
      }
      shown.finish(result);
      return result;
    } catch (err) {
      shown.fail(err instanceof Error ? err.message : String(err));
      throw err;
    }
  }
}

function pieceOf(lines: readonly string[], cell: Cell): Piece {
  return { code: cellCode(lines, cell), firstLine: cell.codeStartLine, lastLine: lastCodeLine(lines, cell) };
}

function lastNonBlankLine(doc: vscode.TextDocument): number {
  for (let i = doc.lineCount - 1; i > 0; i--) {
    if (!doc.lineAt(i).isEmptyOrWhitespace) {
      return i;
    }
  }
  return 0;
}
