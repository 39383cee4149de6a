import * as vscode from 'vscode';
import type { DocumentCells } from './documentCells';
import { isRunnableScheme } from './editorContextKeys';

/**
 * Code lenses over each cell marker of a document that has markers: Run Cell | Debug Cell (Python, whose kernels
 * have a debugger) | Run Above | Run Below.
 * Each names its cell by line, so a click runs that cell wherever the cursor is.
 */
export class CellCodeLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly cells: DocumentCells,
    private readonly languages: () => readonly string[],
  ) {}

  /** Asks VS Code to ask again (the marker setting or the languages changed). */
  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isRunnableScheme(doc.uri) || !this.languages().includes(doc.languageId)) {
      return [];
    }
    const parsed = this.cells.tryOf(doc);
    if (!parsed?.hasMarkers) {
      return [];
    }
    const lenses: vscode.CodeLens[] = [];
    parsed.cells.forEach((cell, index) => {
      // Code before the first marker (often a header comment) gets no lenses: it has no marker line to sit on.
      if (!cell.hasMarker) {
        return;
      }
      const range = new vscode.Range(cell.startLine, 0, cell.startLine, 0);
      const args = [doc.uri, cell.startLine];
      lenses.push(new vscode.CodeLens(range, { title: 'Run Cell', command: 'kernelIslands.runCell', arguments: args }));
      if (doc.languageId === 'python') {
        lenses.push(
          new vscode.CodeLens(range, { title: 'Debug Cell', command: 'kernelIslands.debugCell', arguments: args }),
        );
      }
      if (index > 0) {
        lenses.push(
          new vscode.CodeLens(range, { title: 'Run Above', command: 'kernelIslands.runAbove', arguments: args }),
        );
      }
      lenses.push(
        new vscode.CodeLens(range, { title: 'Run Below', command: 'kernelIslands.runBelow', arguments: args }),
      );
    });
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
