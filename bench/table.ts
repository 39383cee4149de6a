import { describeGoal, type Row } from './report';

/** Rounds for reading: more decimals for small numbers, none for large ones. */
export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) {
    return value.toFixed(0);
  }
  if (abs >= 10) {
    return value.toFixed(1);
  }
  return value.toFixed(2);
}

const HEADER = ['Figure', 'Unit', 'Median', 'p95', 'n', 'Baseline', 'Base med', 'Base p95', 'Ratio', 'Goal', 'Verdict'];
/** The UI bench's table also shows each row's median minus its baseline's (the engine's). */
const HEADER_WITH_DIFF = [...HEADER.slice(0, 9), 'Diff', ...HEADER.slice(9)];

/** Table options: `difference` adds the Diff column (median minus the baseline's median). */
export interface TableOptions {
  difference?: boolean;
}

/** One printed line per row; the p95 column of a rate is its worst 5 % (see `RowInput`). */
export function rowCells(row: Row, options: TableOptions = {}): string[] {
  const verdict = row.met === undefined ? '' : row.met ? 'met' : 'MISSED';
  const cells = [
    `${row.id} ${row.label}`,
    row.unit,
    formatNumber(row.value.median),
    formatNumber(row.value.worst),
    String(row.value.n),
    row.baseline?.label ?? '',
    row.baseline ? formatNumber(row.baseline.value.median) : '',
    row.baseline ? formatNumber(row.baseline.value.worst) : '',
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
    row.goal ? describeGoal(row.goal, row.unit) : '',
    verdict,
  ];
  if (options.difference) {
    const diff = row.difference === undefined ? '' : `${row.difference >= 0 ? '+' : ''}${formatNumber(row.difference)}`;
    cells.splice(9, 0, diff);
  }
  return cells;
}

/** Renders rows as a Markdown table (readable in a terminal and pasteable into README). */
export function renderTable(rows: readonly Row[], options: TableOptions = {}): string {
  const header = options.difference ? HEADER_WITH_DIFF : HEADER;
  const lines = [header, ...rows.map((row) => rowCells(row, options))];
  const widths = header.map((_, col) => Math.max(...lines.map((cells) => cells[col].length)));
  const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [render(header), rule, ...lines.slice(1).map(render)].join('\n');
}

/** Notes printed under the table, one per row that has one. */
export function renderNotes(rows: readonly Row[]): string {
  return rows
    .filter((row) => row.note)
    .map((row) => `- ${row.id}: ${row.note}`)
    .join('\n');
}
