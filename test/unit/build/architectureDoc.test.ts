import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** docs/architecture.md names what is in src/: its folders table and the one-line list of workbench/'s files. */
describe('docs/architecture.md matches src/', () => {
  const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const table = doc.split('\n').filter((line) => line.startsWith('| `src/'));

  it('the table has one row per folder of src/, and no row for a folder that is gone', () => {
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `src/${e.name}/`)
      .sort();
    const rows = table
      .map((line) => /^\| `(src\/[^`]+)`/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined && name.endsWith('/'))
      .sort();
    assert.deepEqual(rows, folders);
  });

  it('the workbench/ row names every file of src/workbench/', () => {
    const row = table.find((line) => line.startsWith('| `src/workbench/`')) ?? '';
    const unnamed = readdirSync(path.join(ROOT, 'src', 'workbench'))
      .map((f) => f.replace(/\.ts$/, ''))
      .filter((name) => !row.includes(`\`${name}\``));
    assert.deepEqual(unnamed, []);
  });
});
