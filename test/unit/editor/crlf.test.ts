import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { cellCode, lastCodeLine } from '../../../src/editor/cells';
import { dedent } from '../../../src/editor/codeText';
import { DocumentCells } from '../../../src/editor/documentCells';
import { statementAt } from '../../../src/workbench/statementRanges';
import { SyntaxTrees } from '../../../src/workbench/syntaxTrees';
import { installedGrammarFiles } from '../../shared/grammarFiles';

/**
 * Windows line endings: a file saved with CRLF gives the same cells, cell code, statements and inline-result lines
 * as the same file with LF, through the real cell parser and the real tree-sitter Python grammar.
 */
const SOURCE = [
  'import os',
  '',
  '# %% load',
  'data = [',
  '    1,',
  '    2,',
  ']',
  '',
  '# %% [markdown]',
  '# notes',
  '# %% plot',
  '@decorator',
  'def f(a):',
  '    return a',
  '',
  'if data:',
  '    print(f(data))',
  'else:',
  '    pass',
  '',
];

function document(text: string, uri: string): vscode.TextDocument {
  return {
    uri: { toString: () => uri },
    version: 1,
    languageId: 'python',
    getText: () => text,
  } as unknown as vscode.TextDocument;
}

describe('CRLF documents give what LF documents give', () => {
  const lf = SOURCE.join('\n');
  const crlf = SOURCE.join('\r\n');

  it('# %% cells: the same cells, cell code without \\r, inline results on the same lines', () => {
    const cells = new DocumentCells({ cellMarkerPattern: () => undefined });
    const a = cells.of(document(lf, 'file:///w/lf.py'));
    const b = cells.of(document(crlf, 'file:///w/crlf.py'));
    assert.deepEqual(b.cells, a.cells);
    assert.equal(b.cells.length, 4);
    for (const [i, cell] of b.cells.entries()) {
      assert.equal(cellCode(b.lines, cell), cellCode(a.lines, a.cells[i]));
      assert.ok(!cellCode(b.lines, cell).includes('\r'), `cell ${i} code has no carriage return`);
      assert.equal(lastCodeLine(b.lines, cell), lastCodeLine(a.lines, a.cells[i]));
    }
    assert.equal(cellCode(b.lines, b.cells[1]), 'data = [\n    1,\n    2,\n]');
    assert.equal(lastCodeLine(b.lines, b.cells[3]), 18, "the plot cell's result sits on its last code line");
  });

  it('a selection copied from a CRLF file runs as LF code, dedented', () => {
    assert.equal(dedent('    if x:\r\n        y = 1\r\n    z = 2'), 'if x:\n    y = 1\nz = 2');
  });

  describe('statements (tree-sitter Python)', () => {
    let trees: SyntaxTrees;
    before(() => (trees = new SyntaxTrees(installedGrammarFiles())));
    after(() => trees.dispose());

    it('every line maps to the same statement lines in both', async () => {
      const lfNodes = await trees.topLevel('lf', 'python', lf);
      const crlfNodes = await trees.topLevel('crlf', 'python', crlf);
      for (let line = 0; line < SOURCE.length; line++) {
        assert.deepEqual(statementAt(crlfNodes, line), statementAt(lfNodes, line), `line ${line}`);
      }
      assert.deepEqual(statementAt(crlfNodes, 4), { kind: 'statement', firstLine: 3, lastLine: 6, nextLine: 11 });
      assert.deepEqual(statementAt(crlfNodes, 12), { kind: 'statement', firstLine: 11, lastLine: 13, nextLine: 15 });
      assert.deepEqual(statementAt(crlfNodes, 17), {
        kind: 'statement',
        firstLine: 15,
        lastLine: 18,
        nextLine: undefined,
      });
    });

    it('after an edit that adds a CRLF line, the incremental parse still agrees with LF', async () => {
      const edited = [...SOURCE.slice(0, 7), 'more = 3', ...SOURCE.slice(7)];
      const crlfNodes = await trees.topLevel('crlf', 'python', edited.join('\r\n'));
      const lfNodes = await trees.topLevel('lf', 'python', edited.join('\n'));
      for (let line = 0; line < edited.length; line++) {
        assert.deepEqual(statementAt(crlfNodes, line), statementAt(lfNodes, line), `line ${line}`);
      }
      assert.deepEqual(statementAt(crlfNodes, 7), { kind: 'statement', firstLine: 7, lastLine: 7, nextLine: 12 });
    });
  });
});
