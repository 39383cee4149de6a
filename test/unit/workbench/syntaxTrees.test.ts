import * as assert from 'node:assert/strict';
import type { TopLevelNode, TopLevelNodes } from '../../../src/workbench/statementRanges';
import { editBetween, statementLanguageOf, SyntaxTrees } from '../../../src/workbench/syntaxTrees';
import { installedGrammarFiles } from '../../shared/grammarFiles';

function all(nodes: TopLevelNodes): TopLevelNode[] {
  return Array.from({ length: nodes.count }, (_, i) => nodes.at(i));
}

describe('editBetween: the one changed span between two texts', () => {
  it('is undefined for equal texts', () => assert.equal(editBetween('abc', 'abc'), undefined));

  it('an insertion inside a line', () => {
    assert.deepEqual(editBetween('ab\ncd\n', 'ab\ncXd\n'), {
      startIndex: 4,
      oldEndIndex: 4,
      newEndIndex: 5,
      startPosition: { row: 1, column: 1 },
      oldEndPosition: { row: 1, column: 1 },
      newEndPosition: { row: 1, column: 2 },
    });
  });

  it('a deletion across lines', () => {
    assert.deepEqual(editBetween('a\nbb\ncc\nd', 'a\nd'), {
      startIndex: 2,
      oldEndIndex: 8,
      newEndIndex: 2,
      startPosition: { row: 1, column: 0 },
      oldEndPosition: { row: 3, column: 0 },
      newEndPosition: { row: 1, column: 0 },
    });
  });

  it('a replacement that adds lines, with columns in UTF-16 units', () => {
    assert.deepEqual(editBetween('x = "😀"\ny', 'x = "😀"\nz = 1\nw\ny'), {
      startIndex: 9,
      oldEndIndex: 9,
      newEndIndex: 17,
      startPosition: { row: 1, column: 0 },
      oldEndPosition: { row: 1, column: 0 },
      newEndPosition: { row: 3, column: 0 },
    });
  });
});

describe('SyntaxTrees', () => {
  let trees: SyntaxTrees;
  before(() => (trees = new SyntaxTrees(installedGrammarFiles(), 2)));
  after(() => trees.dispose());

  it('knows Python and R, nothing else', () => {
    assert.deepEqual(['python', 'r', 'julia', 'plaintext'].map(statementLanguageOf), [
      'python',
      'r',
      undefined,
      undefined,
    ]);
  });

  it('an incremental parse after each edit gives the same nodes as a fresh parse', async () => {
    const versions = [
      'x = 1\n',
      'x = 1\ndef f(a):\n',
      'x = 1\ndef f(a):\n    return a\n',
      'x = 1\ndef f(a):\n    return a\n\ns = "héllo 😀"\nf(s)\n',
      'x = 1\n@dec\ndef f(a):\n    return a\n\ns = "héllo 😀"\nf(s)\n',
      'x = 1\n@dec\ndef f(a):\n    return a\n\ns = "héllo 😀 😀"\nf(s)\nif s:\n    pass\nelse:\n    y = 2\n',
      'x = 1\n@dec\ndef f(a):\n    return a\nf(s)\nif s:\n    pass\n',
      'x = 1\r\nf(s)\r\nif s:\r\n    pass\r\n',
    ];
    const fresh = new SyntaxTrees(installedGrammarFiles());
    try {
      for (const [i, text] of versions.entries()) {
        const incremental = all(await trees.topLevel('doc', 'python', text));
        const whole = all(await fresh.topLevel(`fresh-${i}`, 'python', text));
        assert.deepEqual(incremental, whole, `version ${i}`);
      }
    } finally {
      fresh.dispose();
    }
  });

  it('keeps at most its bound of trees, dropping the least recently parsed', async () => {
    await trees.topLevel('a', 'python', 'a = 1\n');
    await trees.topLevel('b', 'r', 'b <- 1\n');
    await trees.topLevel('c', 'python', 'c = 1\n');
    assert.equal(trees.size, 2);
    trees.forget('c');
    assert.equal(trees.size, 1);
  });

  it('a document whose language changed is parsed afresh in the new language', async () => {
    await trees.topLevel('lang', 'python', 'x <- 1\n');
    const r = all(await trees.topLevel('lang', 'r', 'x <- 1\n'));
    assert.deepEqual(
      r.map((n) => n.error),
      [false],
    );
  });

  it('a grammar that cannot load fails its calls; other languages still load', async () => {
    const files = installedGrammarFiles();
    const broken = new SyntaxTrees({ ...files, grammar: { ...files.grammar, r: '/nonexistent/tree-sitter-r.wasm' } });
    try {
      await assert.rejects(broken.topLevel('x', 'r', 'x <- 1\n'));
      assert.equal(all(await broken.topLevel('y', 'python', 'y = 1\n')).length, 1, 'Python still loads');
    } finally {
      broken.dispose();
    }
  });
});
