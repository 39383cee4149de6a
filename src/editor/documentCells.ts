import type * as vscode from 'vscode';
import {
  cellMarkerRegExp,
  DEFAULT_CELL_MARKER,
  hasCellMarkers,
  lineCommentPrefix,
  parseCells,
  type Cell,
} from './cells';

/** Reads the cell marker setting; undefined means the default marker. */
export interface CellSettings {
  cellMarkerPattern(): string | undefined;
}

interface Parsed {
  version: number;
  pattern: string;
  lines: string[];
  cells: Cell[];
  hasMarkers: boolean;
}

/**
 * The cells of open documents, parsed once per document version. A bad marker pattern is reported by the
 * command that needed cells; lenses and context keys then see a file without markers.
 */
export class DocumentCells {
  private readonly cache = new Map<string, Parsed>();

  constructor(private readonly settings: CellSettings) {}

  /** Lines and cells of a document (the whole document is one cell when it has no markers). */
  of(doc: vscode.TextDocument): { lines: string[]; cells: Cell[]; hasMarkers: boolean } {
    const key = doc.uri.toString();
    const pattern = this.settings.cellMarkerPattern() ?? DEFAULT_CELL_MARKER;
    const cached = this.cache.get(key);
    if (cached && cached.version === doc.version && cached.pattern === pattern) {
      return cached;
    }
    const marker = cellMarkerRegExp(pattern, doc.languageId);
    const lines = doc.getText().replace(/\r\n/g, '\n').split('\n');
    const parsed: Parsed = {
      version: doc.version,
      pattern,
      lines,
      cells: parseCells(lines, marker),
      hasMarkers: hasCellMarkers(lines, marker),
    };
    this.cache.set(key, parsed);
    return parsed;
  }

  /** Like {@link of}, but a bad pattern reads as "no markers" (for lenses and context keys, which cannot report). */
  tryOf(doc: vscode.TextDocument): { lines: string[]; cells: Cell[]; hasMarkers: boolean } | undefined {
    try {
      return this.of(doc);
    } catch {
      // The commands that need cells report the bad pattern; passive features stay quiet.
      return undefined;
    }
  }

  /** The marker line to insert for a new cell in this document's language, e.g. `# %%`. */
  newMarker(doc: vscode.TextDocument): string {
    return `${lineCommentPrefix(doc.languageId)} %%`;
  }

  forget(doc: vscode.TextDocument): void {
    this.cache.delete(doc.uri.toString());
  }
}
