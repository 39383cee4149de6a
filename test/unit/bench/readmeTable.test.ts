import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  perfTable,
  README_PATH,
  RESULTS_PATH,
  TABLE_END,
  TABLE_START,
  tableInReadme,
  UI_RESULTS_PATH,
  UI_TABLE,
  withTable,
} from '../../../bench/readmeTable';
import type { Row } from '../../../bench/report';

function results(): { rows: Row[] } {
  return JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as { rows: Row[] };
}

describe("README's performance table", () => {
  it('is the table of bench/results.json (run `npm run docs:perf` after a bench run)', async () => {
    const inReadme = tableInReadme(readFileSync(README_PATH, 'utf8'));
    assert.ok(inReadme, `README.md has the markers ${TABLE_START} … ${TABLE_END}`);
    assert.equal(inReadme, await perfTable(results()));
  });

  it('differs as soon as one figure of results.json changes', async () => {
    const changed = results();
    changed.rows[0] = { ...changed.rows[0], value: { ...changed.rows[0].value, median: 999 } };
    const inReadme = tableInReadme(readFileSync(README_PATH, 'utf8'));
    assert.notEqual(inReadme, await perfTable(changed));
    assert.match(await perfTable(changed), /^\| P1\.1 first result.* \| 999 +\|/m);
  });

  it('shows the UI figures of bench/ui-results.json next to them, with the Diff column', async () => {
    const ui = JSON.parse(readFileSync(UI_RESULTS_PATH, 'utf8')) as { rows: Row[] };
    const inReadme = tableInReadme(readFileSync(README_PATH, 'utf8'), UI_TABLE);
    assert.ok(inReadme, `README.md has the markers ${UI_TABLE.start} … ${UI_TABLE.end}`);
    assert.equal(inReadme, await perfTable(ui, UI_TABLE.options));
    assert.match(inReadme, /^\| Figure +\|.*\| Ratio +\| Diff +\| Goal/m);
    assert.match(inReadme, /^\| U1 /m);
  });

  it('is written between the markers only', () => {
    const readme = `# Title\n\nbefore\n\n${TABLE_START}\n\n| old |\n\n${TABLE_END}\n\nafter\n`;
    const updated = withTable(readme, '| new |');
    assert.equal(updated, `# Title\n\nbefore\n\n${TABLE_START}\n\n| new |\n\n${TABLE_END}\n\nafter\n`);
    assert.equal(tableInReadme(updated), '| new |');
    assert.throws(() => withTable('no markers', '| new |'), /needs the markers/);
    const both = `${TABLE_START}\n${TABLE_END}\n${UI_TABLE.start}\n| old ui |\n${UI_TABLE.end}\n`;
    const ui = withTable(both, '| new ui |', UI_TABLE);
    assert.equal(tableInReadme(ui, UI_TABLE), '| new ui |');
    assert.equal(tableInReadme(ui), '');
  });
});
