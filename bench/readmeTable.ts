/**
 * Writes the README's performance tables from the results files (`npm run docs:perf`), so no table is copied by
 * hand: the engine's from `bench/results.json` (`npm run bench`), the UI's from `bench/ui-results.json`
 * (`npm run bench:ui`, with its Diff column). Only the lines between each table's markers change;
 * test/unit/bench/readmeTable.test.ts fails when the README and a results file disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import type { Row } from './report';
import { renderTable, type TableOptions } from './table';

export const TABLE_START = '<!-- perf-table:start (written by `npm run docs:perf` from bench/results.json) -->';
export const TABLE_END = '<!-- perf-table:end -->';

const ROOT = path.join(__dirname, '..');
export const README_PATH = path.join(ROOT, 'README.md');
export const RESULTS_PATH = path.join(ROOT, 'bench', 'results.json');
export const UI_TABLE_START =
  '<!-- ui-perf-table:start (written by `npm run docs:perf` from bench/ui-results.json) -->';
export const UI_TABLE_END = '<!-- ui-perf-table:end -->';
export const UI_RESULTS_PATH = path.join(ROOT, 'bench', 'ui-results.json');

/** One generated table of the README: its markers, the results file it shows and how it is drawn. */
export interface ReadmeTable {
  start: string;
  end: string;
  resultsPath: string;
  options: TableOptions;
}

export const ENGINE_TABLE: ReadmeTable = { start: TABLE_START, end: TABLE_END, resultsPath: RESULTS_PATH, options: {} };
export const UI_TABLE: ReadmeTable = {
  start: UI_TABLE_START,
  end: UI_TABLE_END,
  resultsPath: UI_RESULTS_PATH,
  options: { difference: true },
};

/** The table of a results file, formatted as `prettier --check` wants it in README.md. */
export async function perfTable(results: { rows: readonly Row[] }, table: TableOptions = {}): Promise<string> {
  const options = (await prettier.resolveConfig(README_PATH)) ?? {};
  const formatted = await prettier.format(renderTable(results.rows, table), { ...options, parser: 'markdown' });
  return formatted.trimEnd();
}

/** The lines between a table's markers, or undefined when the README lacks them (or has them out of order). */
export function tableInReadme(readme: string, which: ReadmeTable = ENGINE_TABLE): string | undefined {
  const start = readme.indexOf(which.start);
  const end = readme.indexOf(which.end);
  if (start < 0 || end < start) {
    return undefined;
  }
  return readme.slice(start + which.start.length, end).trim();
}

/** The README with `table` between a table's markers; everything outside them is left as it was. */
export function withTable(readme: string, table: string, which: ReadmeTable = ENGINE_TABLE): string {
  const start = readme.indexOf(which.start);
  const end = readme.indexOf(which.end);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the markers ${which.start} and ${which.end}, in that order.`);
  }
  return `${readme.slice(0, start + which.start.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  let readme = readFileSync(README_PATH, 'utf8');
  const before = readme;
  for (const which of [ENGINE_TABLE, UI_TABLE]) {
    const results = JSON.parse(readFileSync(which.resultsPath, 'utf8')) as { rows: Row[] };
    readme = withTable(readme, await perfTable(results, which.options), which);
    console.log(`${path.relative(ROOT, which.resultsPath)}: ${results.rows.length} rows.`);
  }
  if (readme === before) {
    console.log('README.md already shows the results files.');
    return;
  }
  writeFileSync(README_PATH, readme);
  console.log('README.md: performance tables written from the results files.');
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
