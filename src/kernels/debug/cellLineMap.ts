import type { DapSource } from './dapMessages';

/** The code being debugged and where it sits in the user's file. */
export interface DebuggedCell {
  /** The user's file, as the editor names it (the path its breakpoints carry). */
  path: string;
  /** The 1-based line of the user's file that holds the code's first line (a `# %%` cell's first code line). */
  firstLine: number;
  /** The code exactly as it runs: the kernel names the dumped copy after a hash of this text. */
  code: string;
}

/** A place in a source file: a path and a 1-based line. */
export interface SourceLine {
  path: string;
  line: number;
}

/** One DAP `SourceBreakpoint`: a line and optional condition fields, passed through as they are. */
export interface SourceBreakpoint {
  line: number;
  [key: string]: unknown;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/**
 * Maps lines between the user's file and the copy of the debugged code the kernel wrote (`dumpCell`'s
 * `sourcePath`), both ways: the debugger only knows the copy, the user only sees the file. Line `firstLine + k` of
 * the file is line `1 + k` of the copy. Any other path is left as it is (project modules the code imports are
 * debugged in place).
 */
export class CellLineMap {
  readonly lineCount: number;

  constructor(
    readonly cell: DebuggedCell,
    readonly dumpedPath: string,
  ) {
    if (!Number.isInteger(cell.firstLine) || cell.firstLine < 1) {
      throw new RangeError(`The cell's first line must be a line number from 1, not ${cell.firstLine}.`);
    }
    this.lineCount = cell.code.split('\n').length;
  }

  /** True for the user's file whose lines this map covers. */
  isUserFile(path: string | undefined): boolean {
    return path === this.cell.path;
  }

  /** The copy's line for a line of the user's file; undefined when the line is outside the debugged code. */
  toDumpedLine(userLine: number): number | undefined {
    const line = userLine - this.cell.firstLine + 1;
    return line >= 1 && line <= this.lineCount ? line : undefined;
  }

  /** Where the user sees a place the kernel reports: the copy's lines become the file's, other places stay. */
  toUser(place: SourceLine): SourceLine {
    return place.path === this.dumpedPath
      ? { path: this.cell.path, line: place.line + this.cell.firstLine - 1 }
      : place;
  }

  /** A DAP source the kernel reports, as the user's: the copy becomes the user's file (path and name). */
  sourceToUser(source: DapSource | undefined): DapSource | undefined {
    if (source?.path !== this.dumpedPath) {
      return source;
    }
    return { ...source, path: this.cell.path, name: baseName(this.cell.path) };
  }

  /**
   * Splits the user's breakpoints for the user's file: those inside the debugged code, at the copy's lines (what
   * the kernel is sent), and the indexes of those outside it (answered as unverified: that code does not run).
   */
  breakpointsToDumped(breakpoints: readonly SourceBreakpoint[]): { inside: SourceBreakpoint[]; outside: number[] } {
    const inside: SourceBreakpoint[] = [];
    const outside: number[] = [];
    breakpoints.forEach((bp, index) => {
      const line = this.toDumpedLine(bp.line);
      if (line === undefined) {
        outside.push(index);
      } else {
        inside.push({ ...bp, line });
      }
    });
    return { inside, outside };
  }
}
