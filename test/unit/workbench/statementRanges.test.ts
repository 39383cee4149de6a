import * as assert from 'node:assert/strict';
import { nodeList, statementAt, type StatementAt } from '../../../src/workbench/statementRanges';
import { SyntaxTrees, type StatementLanguage } from '../../../src/workbench/syntaxTrees';
import { installedGrammarFiles } from '../../shared/grammarFiles';

/**
 * One case: the file's lines, the cursor's line, and what runs: `[first, last, next]` (lines of the statement and
 * where the cursor goes next; `null` at the end), `['none', next]` for a line that runs nothing, or 'unparsable'.
 */
interface Case {
  name: string;
  language?: StatementLanguage;
  lines: string[];
  line: number;
  expect: [number, number, number | null] | ['none', number | null] | 'unparsable';
}

const cases: Case[] = [
  { name: 'a one-line statement', lines: ['x = 1', 'y = 2'], line: 0, expect: [0, 0, 1] },
  {
    name: 'a def from its first line',
    lines: ['def f(x):', '    y = x', '    return y', 'f(1)'],
    line: 0,
    expect: [0, 2, 3],
  },
  {
    name: 'a def from a body line',
    lines: ['def f(x):', '    y = x', '    return y', 'f(1)'],
    line: 2,
    expect: [0, 2, 3],
  },
  {
    name: 'a decorated def from its decorator',
    lines: ['@cache', 'def f(x):', '    return x', '', 'f(2)'],
    line: 0,
    expect: [0, 2, 4],
  },
  {
    name: 'two decorators, from the def line',
    lines: ['@a', '@b(1)', 'def f():', '    pass'],
    line: 2,
    expect: [0, 3, null],
  },
  {
    name: 'a decorator whose arguments span lines',
    lines: ['@route(', '    "/x",', ')', 'def f():', '    pass', 'g = 1'],
    line: 1,
    expect: [0, 4, 5],
  },
  {
    name: 'a class with methods and blank lines, from a blank line inside it',
    lines: ['class A:', '    def f(self):', '        pass', '', '    def g(self):', '        pass', '', '', 'A()'],
    line: 3,
    expect: [0, 5, 8],
  },
  {
    name: 'a nested def, from the inner def',
    lines: ['def outer():', '    def inner():', '        return 1', '    return inner', 'outer()'],
    line: 1,
    expect: [0, 3, 4],
  },
  { name: 'an async def', lines: ['async def f():', '    await g()', 'x = 1'], line: 1, expect: [0, 1, 2] },
  {
    name: 'a for loop, from its body',
    lines: ['for i in range(3):', '    print(i)', '    total += i', 'done = True'],
    line: 2,
    expect: [0, 2, 3],
  },
  {
    name: 'a while loop with else',
    lines: ['while n:', '    n -= 1', 'else:', '    print("end")', 'z = 0'],
    line: 0,
    expect: [0, 3, 4],
  },
  {
    name: 'a with block',
    lines: ['with open(p) as fh:', '    data = fh.read()', 'len(data)'],
    line: 0,
    expect: [0, 1, 2],
  },
  {
    name: 'if/elif/else, from the elif line',
    lines: ['if x > 0:', '    s = 1', 'elif x < 0:', '    s = -1', 'else:', '    s = 0', 'print(s)'],
    line: 2,
    expect: [0, 5, 6],
  },
  {
    name: 'if/else, from the else body',
    lines: ['if x:', '    a = 1', 'else:', '    a = 2', 'a'],
    line: 3,
    expect: [0, 3, 4],
  },
  {
    name: 'if/else with a comment before the else',
    lines: ['if x:', '    a = 1', '# otherwise', 'else:', '    a = 2'],
    line: 0,
    expect: [0, 4, null],
  },
  {
    name: 'try/except/finally, from the except line',
    lines: ['try:', '    risky()', 'except ValueError as e:', '    print(e)', 'finally:', '    close()', 'next_step()'],
    line: 2,
    expect: [0, 5, 6],
  },
  {
    name: 'a match statement',
    lines: ['match cmd:', '    case "go":', '        go()', '    case _:', '        stop()', 'after()'],
    line: 3,
    expect: [0, 4, 5],
  },
  {
    name: 'a multi-line call, from its middle',
    lines: ['result = f(', '    1,', '    2,', ')', 'result'],
    line: 1,
    expect: [0, 3, 4],
  },
  {
    name: 'a multi-line dict, from its closing brace',
    lines: ['d = {', '    "a": 1,', '    "b": 2,', '}', 'd'],
    line: 3,
    expect: [0, 3, 4],
  },
  {
    name: 'a multi-line comprehension',
    lines: ['squares = [', '    n * n', '    for n in range(10)', ']'],
    line: 2,
    expect: [0, 3, null],
  },
  {
    name: 'a multi-line string holding a def, from the def inside it',
    lines: ['doc = """', 'def not_code():', '    pass', '"""', 'print(doc)'],
    line: 1,
    expect: [0, 3, 4],
  },
  {
    name: 'a bare docstring holding a class, from its last line',
    lines: ["'''", 'class Fake:', "'''", 'x = 1'],
    line: 2,
    expect: [0, 2, 3],
  },
  {
    name: 'backslash continuation, from the first line',
    lines: ['total = 1 + \\', '    2 + \\', '    3', 'total'],
    line: 0,
    expect: [0, 2, 3],
  },
  {
    name: 'backslash continuation, from the last line',
    lines: ['total = 1 + \\', '    2 + \\', '    3', 'total'],
    line: 2,
    expect: [0, 2, 3],
  },
  {
    name: 'a comment line between statements runs nothing and goes to the next statement',
    lines: ['x = 1', '# about y', 'y = 2'],
    line: 1,
    expect: ['none', 2],
  },
  { name: 'a blank line between statements', lines: ['x = 1', '', '', 'y = 2'], line: 1, expect: ['none', 3] },
  {
    name: 'the next statement skips blank lines, comments and cell markers',
    lines: ['x = 1', '', '# %% next cell', '# a note', '', 'y = 2'],
    line: 0,
    expect: [0, 0, 5],
  },
  { name: 'the last statement has no next one', lines: ['x = 1', '', '# end'], line: 0, expect: [0, 0, null] },
  { name: 'past the last statement', lines: ['x = 1', '', ''], line: 2, expect: ['none', null] },
  { name: 'a trailing comment on the line', lines: ['x = 1  # note', 'y = 2'], line: 0, expect: [0, 0, 1] },
  { name: 'two statements on one line', lines: ['a = 1; b = 2', 'c = 3'], line: 0, expect: [0, 0, 1] },
  {
    name: 'statements that share a line run together',
    lines: ['a = 1; b = (', '    2)', 'c = 3'],
    line: 1,
    expect: [0, 1, 2],
  },
  { name: 'a Windows (CRLF) file', lines: ['def f():\r', '    return 1\r', 'f()\r'], line: 0, expect: [0, 1, 2] },
  {
    name: 'an IPython magic does not parse: the line runs',
    lines: ['%timeit f()', 'y = 1'],
    line: 0,
    expect: 'unparsable',
  },
  { name: 'a broken def does not parse', lines: ['def f(:', '    pass', 'y = 1'], line: 1, expect: 'unparsable' },
  {
    name: 'a statement after a broken one still parses',
    lines: ['def f(:', '    pass', 'y = 1'],
    line: 2,
    expect: [2, 2, null],
  },
  {
    name: 'an unclosed call to the end of the file',
    lines: ['x = f(', 'y = 2', 'z = 3'],
    line: 1,
    expect: 'unparsable',
  },
  {
    name: 'R: a function block, from its body',
    language: 'r',
    lines: ['f <- function(x) {', '  y <- x + 1', '  y * 2', '}', 'f(1)'],
    line: 1,
    expect: [0, 3, 4],
  },
  {
    name: 'R: a native pipe chain, from its middle',
    language: 'r',
    lines: ['df |>', '  subset(x > 1) |>', '  head()', 'nrow(df)'],
    line: 1,
    expect: [0, 2, 3],
  },
  {
    name: 'R: a magrittr pipe chain',
    language: 'r',
    lines: ['library(magrittr)', 'mtcars %>%', '  head() %>%', '  summary()'],
    line: 3,
    expect: [1, 3, null],
  },
  {
    name: 'R: if/else, from the else line',
    language: 'r',
    lines: ['if (x > 0) {', '  "pos"', '} else {', '  "neg"', '}', 'x'],
    line: 2,
    expect: [0, 4, 5],
  },
  {
    name: 'R: a for loop',
    language: 'r',
    lines: ['for (i in 1:3) {', '  print(i)', '}'],
    line: 0,
    expect: [0, 2, null],
  },
  {
    name: 'R: a comment between statements',
    language: 'r',
    lines: ['x <- 1', '# then y', '', 'y <- 2'],
    line: 1,
    expect: ['none', 3],
  },
  {
    name: 'R: a multi-line call',
    language: 'r',
    lines: ['v <- c(1,', '       2,', '       3)', 'sum(v)'],
    line: 2,
    expect: [0, 2, 3],
  },
  {
    name: 'R: a string holding "function(" over lines',
    language: 'r',
    lines: ['s <- "function(x) {', '  not code', '}"', 'nchar(s)'],
    line: 1,
    expect: [0, 2, 3],
  },
  {
    name: 'R: two statements on one line',
    language: 'r',
    lines: ['a <- 1; b <- 2', 'a + b'],
    line: 0,
    expect: [0, 0, 1],
  },
  { name: 'R: an unparsable file', language: 'r', lines: ['x <- c(1,', 'y <- )'], line: 0, expect: 'unparsable' },
];

function expected(c: Case): StatementAt {
  if (c.expect === 'unparsable') {
    return { kind: 'unparsable' };
  }
  if (c.expect[0] === 'none') {
    return { kind: 'none', nextLine: c.expect[1] ?? undefined };
  }
  const [firstLine, lastLine, next] = c.expect as [number, number, number | null];
  return { kind: 'statement', firstLine, lastLine, nextLine: next ?? undefined };
}

describe('statement ranges (tree-sitter, table-driven)', () => {
  let trees: SyntaxTrees;
  before(() => (trees = new SyntaxTrees(installedGrammarFiles())));
  after(() => trees.dispose());

  it(`has at least 30 cases (${cases.length})`, () => assert.ok(cases.length >= 30));

  for (const c of cases) {
    it(c.name, async () => {
      const text = c.lines.join('\n') + '\n';
      const nodes = await trees.topLevel(`case:${c.name}`, c.language ?? 'python', text);
      assert.deepEqual(statementAt(nodes, c.line), expected(c));
    });
  }
});

describe('statementAt over given nodes', () => {
  const node = (startRow: number, endRow: number, endColumn = 3, statement = true, error = false) => ({
    startRow,
    endRow,
    endColumn,
    statement,
    error,
  });

  it('a node that ends at column 0 of a row ends on the row before', () => {
    assert.deepEqual(statementAt(nodeList([node(0, 2, 0), node(2, 2)]), 0), {
      kind: 'statement',
      firstLine: 0,
      lastLine: 1,
      nextLine: 2,
    });
  });

  it('an empty file runs nothing', () => {
    assert.deepEqual(statementAt(nodeList([]), 0), { kind: 'none', nextLine: undefined });
  });

  it('reads only a few nodes of a long file (binary search)', () => {
    const all = Array.from({ length: 10_000 }, (_, i) => node(i * 2, i * 2));
    let reads = 0;
    const counted = { count: all.length, at: (i: number) => (reads++, all[i]) };
    assert.deepEqual(statementAt(counted, 12_345 * 1), { kind: 'none', nextLine: 12_346 });
    assert.ok(reads < 40, `${reads} reads`);
  });
});
