/**
 * Cells in plain source files (the "percent" format of Jupyter, Spyder and VS Code): a line such as `# %%`,
 * `# <codecell>` or `# In[3]` starts a cell. Pure functions over lines, so they are tested without VS Code.
 */

/** One cell: the marker line (when it has one) and the code lines after it. Lines are 0-based and inclusive. */
export interface Cell {
  /** First line of the cell: its marker line, or 0 for code before the first marker. */
  startLine: number;
  /** First line of code (the line after the marker). */
  codeStartLine: number;
  /** Last line of the cell (inclusive). */
  endLine: number;
  /** False for the code before the first marker, or for a file without markers (one cell). */
  hasMarker: boolean;
}

/**
 * The default marker pattern; `{comment}` stands for the language's line-comment prefix (escaped).
 * Jupyter's conventions: `# %%` (with an optional title or `[markdown]`), `# <codecell>`, `# In[ ]` / `# In[12]`.
 */
export const DEFAULT_CELL_MARKER = '^\\s*{comment}\\s*(%%|<codecell>|In\\[[ \\d]*\\])';

const commentPrefixes: Readonly<Record<string, string>> = {
  python: '#',
  r: '#',
  julia: '#',
  shellscript: '#',
  ruby: '#',
  perl: '#',
  powershell: '#',
  coffeescript: '#',
  elixir: '#',
  nim: '#',
  raku: '#',
  yaml: '#',
  javascript: '//',
  typescript: '//',
  javascriptreact: '//',
  typescriptreact: '//',
  c: '//',
  cpp: '//',
  csharp: '//',
  fsharp: '//',
  java: '//',
  go: '//',
  rust: '//',
  scala: '//',
  kotlin: '//',
  swift: '//',
  dart: '//',
  groovy: '//',
  matlab: '%',
  octave: '%',
  erlang: '%',
  latex: '%',
  haskell: '--',
  lua: '--',
  sql: '--',
  ocaml: '(*',
  lisp: ';',
  clojure: ';',
  scheme: ';',
};

/** The line-comment prefix of a language (`#` for Python/R/Julia, `//` for C-like languages); `#` when unknown. */
export function lineCommentPrefix(languageId: string): string {
  return commentPrefixes[languageId.toLowerCase()] ?? '#';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a marker pattern for a language. Throws a clear error when the pattern is not a valid regular
 * expression, naming the setting to fix.
 */
export function cellMarkerRegExp(pattern: string, languageId: string): RegExp {
  const source = pattern.split('{comment}').join(escapeRegExp(lineCommentPrefix(languageId)));
  try {
    return new RegExp(source);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`kernelIslands.cells.markerPattern is not a valid regular expression (${why}).`);
  }
}

/** True when any line is a cell marker. */
export function hasCellMarkers(lines: readonly string[], marker: RegExp): boolean {
  return lines.some((line) => marker.test(line));
}

/**
 * Splits lines into cells. Without markers the whole text is one cell. Code before the first marker is a cell
 * of its own only when it holds something other than blank lines.
 */
export function parseCells(lines: readonly string[], marker: RegExp): Cell[] {
  const markers: number[] = [];
  lines.forEach((line, i) => {
    if (marker.test(line)) {
      markers.push(i);
    }
  });
  const last = Math.max(lines.length - 1, 0);
  if (markers.length === 0) {
    return [{ startLine: 0, codeStartLine: 0, endLine: last, hasMarker: false }];
  }
  const cells: Cell[] = [];
  if (markers[0] > 0 && lines.slice(0, markers[0]).some((l) => l.trim() !== '')) {
    cells.push({ startLine: 0, codeStartLine: 0, endLine: markers[0] - 1, hasMarker: false });
  }
  markers.forEach((start, k) => {
    const end = k + 1 < markers.length ? markers[k + 1] - 1 : last;
    cells.push({ startLine: start, codeStartLine: start + 1, endLine: end, hasMarker: true });
  });
  return cells;
}

/** Index of the cell that holds `line`; lines before a first blank-only preamble belong to the first cell. */
export function cellIndexAt(cells: readonly Cell[], line: number): number {
  for (let i = cells.length - 1; i >= 0; i--) {
    if (line >= cells[i].startLine) {
      return i;
    }
  }
  return 0;
}

/** The code of a cell: its lines after the marker, without trailing blank lines (line numbers stay put). */
export function cellCode(lines: readonly string[], cell: Cell): string {
  return lines
    .slice(cell.codeStartLine, cell.endLine + 1)
    .join('\n')
    .replace(/\s+$/, '');
}

/** The last line of a cell that holds code, for placing its inline result; the marker line when it is empty. */
export function lastCodeLine(lines: readonly string[], cell: Cell): number {
  for (let i = cell.endLine; i >= cell.codeStartLine; i--) {
    if ((lines[i] ?? '').trim() !== '') {
      return i;
    }
  }
  return cell.startLine;
}
