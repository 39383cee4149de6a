import * as assert from 'node:assert/strict';
import {
  DEFAULT_CELL_MARKER,
  cellCode,
  cellIndexAt,
  cellMarkerRegExp,
  hasCellMarkers,
  lastCodeLine,
  lineCommentPrefix,
  parseCells,
} from '../../../src/editor/cells';

const py = cellMarkerRegExp(DEFAULT_CELL_MARKER, 'python');

describe('cells', () => {
  describe('default marker', () => {
    const cases: Array<[string, string, boolean]> = [
      ['python', '# %%', true],
      ['python', '#%%', true],
      ['python', '# %% [markdown]', true],
      ['python', '# %% Load the data', true],
      ['python', '    # %%', true],
      ['python', '# <codecell>', true],
      ['python', '# In[ ]:', true],
      ['python', '# In[12]:', true],
      ['python', '# In[]', true],
      ['python', 'x = 1  # %%', false],
      ['python', '# %', false],
      ['python', '## notes', false],
      ['python', '// %%', false],
      ['r', '# %%', true],
      ['julia', '# %%', true],
      ['javascript', '// %%', true],
      ['javascript', '# %%', false],
      ['matlab', '% %%', true],
      ['lua', '-- %%', true],
      ['unknown-language', '# %%', true],
    ];
    for (const [language, line, expected] of cases) {
      it(`${language}: ${JSON.stringify(line)} ${expected ? 'is' : 'is not'} a marker`, () => {
        assert.equal(cellMarkerRegExp(DEFAULT_CELL_MARKER, language).test(line), expected);
      });
    }
  });

  it('knows the line-comment prefixes', () => {
    assert.deepEqual(['python', 'r', 'julia', 'typescript', 'matlab', 'sql', 'Python'].map(lineCommentPrefix), [
      '#',
      '#',
      '#',
      '//',
      '%',
      '--',
      '#',
    ]);
  });

  it('a bad pattern names the setting to fix', () => {
    assert.throws(() => cellMarkerRegExp('(%%', 'python'), /kernelIslands\.cells\.markerPattern/);
  });

  it('a custom pattern with the comment placeholder', () => {
    const re = cellMarkerRegExp('^{comment} ---', 'typescript');
    assert.equal(re.test('// ---'), true);
    assert.equal(re.test('# ---'), false);
  });

  describe('parseCells', () => {
    const cases: Array<[string, string, Array<[number, number, number, boolean]>]> = [
      ['no markers: one cell', 'a = 1\nb = 2', [[0, 0, 1, false]]],
      ['empty file', '', [[0, 0, 0, false]]],
      [
        'markers only',
        '# %%\na\n# %%\nb\n',
        [
          [0, 1, 1, true],
          [2, 3, 4, true],
        ],
      ],
      [
        'code before the first marker is a cell',
        'import x\n# %%\na',
        [
          [0, 0, 0, false],
          [1, 2, 2, true],
        ],
      ],
      ['blank lines before the first marker are not', '\n\n# %%\na', [[2, 3, 3, true]]],
      [
        'an empty cell between two markers',
        '# %%\n# %%\nb',
        [
          [0, 1, 0, true],
          [1, 2, 2, true],
        ],
      ],
      [
        'mixed conventions',
        '# In[1]:\na\n# <codecell>\nb',
        [
          [0, 1, 1, true],
          [2, 3, 3, true],
        ],
      ],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => {
        const cells = parseCells(text.split('\n'), py);
        assert.deepEqual(
          cells.map((c) => [c.startLine, c.codeStartLine, c.endLine, c.hasMarker]),
          expected,
        );
      });
    }
  });

  describe('cell lookup and code', () => {
    const lines = ['import os', '# %% first', 'x = 1', '', '# %% second', 'y = x + 1', 'print(y)', '', ''];
    const cells = parseCells(lines, py);

    it('finds the cell of each line, the marker line included', () => {
      assert.deepEqual(
        lines.map((_, i) => cellIndexAt(cells, i)),
        [0, 1, 1, 1, 2, 2, 2, 2, 2],
      );
    });

    it('code is the lines after the marker, trailing blanks dropped', () => {
      assert.equal(cellCode(lines, cells[1]), 'x = 1');
      assert.equal(cellCode(lines, cells[2]), 'y = x + 1\nprint(y)');
      assert.equal(cellCode(lines, cells[0]), 'import os');
    });

    it('the last code line is where an inline result goes', () => {
      assert.deepEqual(
        cells.map((c) => lastCodeLine(lines, c)),
        [0, 2, 6],
      );
    });

    it('hasCellMarkers', () => {
      assert.equal(hasCellMarkers(lines, py), true);
      assert.equal(hasCellMarkers(['x = 1', '# comment'], py), false);
    });
  });
});
