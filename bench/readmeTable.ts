/**
 * Writes the README's performance table from `bench/results.json` (`npm run docs:perf`), so the table is never
 * copied by hand. Only the lines between the two markers change; test/unit/bench/readmeTable.test.ts fails when
 * the README and results.json disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import type { Row } from './report';
import { renderTable } from './table';

export const TABLE_START = '<!-- perf-table:start (written by `npm run docs:perf` from bench/results.json) -->';
export const TABLE_END = '<!-- perf-table:end -->';

const ROOT = path.join(__dirname, '..');
export const README_PATH = path.join(ROOT, 'README.md');
export const RESULTS_PATH = path.join(ROOT, 'bench', 'results.json');

/** The table of a results file, formatted as `prettier --check` wants it in README.md. */
export async function perfTable(results: { rows: readonly Row[] }): Promise<string> {
  const options = (await prettier.resolveConfig(README_PATH)) ?? {};
  const formatted = await prettier.format(renderTable(results.rows), { ...options, parser: 'markdown' });
  return formatted.trimEnd();
}

/** The lines between the markers, or undefined when the README lacks them (or has them out of order). */
export function tableInReadme(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    return undefined;
  }
  return readme.slice(start + TABLE_START.length, end).trim();
}

/** The README with `table` between the markers; everything outside them is left as it was. */
export function withTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) {
    throw new Error(`README.md needs the markers ${TABLE_START} and ${TABLE_END}, in that order.`);
  }
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

async function main(): Promise<void> {
  const results = JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as { rows: Row[] };
  const readme = readFileSync(README_PATH, 'utf8');
  const updated = withTable(readme, await perfTable(results));
  if (updated === readme) {
    console.log('README.md already shows bench/results.json.');
    return;
  }
  writeFileSync(README_PATH, updated);
  console.log(`README.md: performance table written from bench/results.json (${results.rows.length} rows).`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
