/**
 * Which lines make up the top-level statement at a line, from the top-level nodes of a syntax tree (tree-sitter's
 * children of Python's `module` or R's `program`). Pure: no parser, no `vscode`, for table-driven tests.
 */

/** One top-level node of the tree, as rows and columns (0-based; the end is exclusive, as tree-sitter gives it). */
export interface TopLevelNode {
  startRow: number;
  endRow: number;
  endColumn: number;
  /** False for comments and punctuation between statements (`;`): they never start or grow a statement. */
  statement: boolean;
  /** The node is, or holds, a syntax error (an `ERROR` node or a missing token). */
  error: boolean;
}

/** The top-level nodes in document order, read on demand (reading each costs a call into the parser). */
export interface TopLevelNodes {
  readonly count: number;
  at(index: number): TopLevelNode;
}

/** What runs for the cursor's line. */
export type StatementAt =
  /** Lines `firstLine`..`lastLine`; `nextLine` is where the next statement starts (undefined at the end). */
  | { kind: 'statement'; firstLine: number; lastLine: number; nextLine: number | undefined }
  /** The line is blank or a comment between statements: nothing runs; the next statement starts at `nextLine`. */
  | { kind: 'none'; nextLine: number | undefined }
  /** The statement at the line does not parse: the caller runs the line itself. */
  | { kind: 'unparsable' };

/** The last line a node covers: a node that ends at the start of a row (after its newline) ends on the row before. */
function lastLineOf(node: TopLevelNode): number {
  return node.endColumn === 0 && node.endRow > node.startRow ? node.endRow - 1 : node.endRow;
}

/** An array as {@link TopLevelNodes} (for tests and callers that already hold the nodes). */
export function nodeList(nodes: readonly TopLevelNode[]): TopLevelNodes {
  return { count: nodes.length, at: (i) => nodes[i] };
}

/**
 * The smallest run of whole top-level statements that contains `line`: the statement(s) whose lines include it,
 * grown until no other statement shares one of their lines (`a = 1; b = (` … `)` on shared rows runs together).
 * Comments never start or grow a statement. Nodes are found by binary search, so a long file costs a few reads.
 */
export function statementAt(nodes: TopLevelNodes, line: number): StatementAt {
  // The first node that ends on or after the line; nodes before it end above the line.
  let lo = 0;
  let hi = nodes.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lastLineOf(nodes.at(mid)) < line) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  let first = line;
  let last = line;
  let found = false;
  let error = false;
  let before = lo - 1;
  let after = lo;
  for (let grown = true; grown;) {
    grown = false;
    while (after < nodes.count && nodes.at(after).startRow <= last) {
      const node = nodes.at(after++);
      if (node.statement) {
        found = true;
        error ||= node.error;
        first = Math.min(first, node.startRow);
        last = Math.max(last, lastLineOf(node));
        grown = true;
      }
    }
    while (before >= 0 && lastLineOf(nodes.at(before)) >= first) {
      const node = nodes.at(before--);
      if (node.statement) {
        found = true;
        error ||= node.error;
        first = Math.min(first, node.startRow);
        grown = true;
      }
    }
  }
  const nextLine = nextStatementLine(nodes, after, found ? last : line);
  if (!found) {
    return { kind: 'none', nextLine };
  }
  return error ? { kind: 'unparsable' } : { kind: 'statement', firstLine: first, lastLine: last, nextLine };
}

/** The first line of the first statement (not a comment) from node `from` on that starts below `line`. */
function nextStatementLine(nodes: TopLevelNodes, from: number, line: number): number | undefined {
  for (let i = from; i < nodes.count; i++) {
    const node = nodes.at(i);
    if (node.statement && node.startRow > line) {
      return node.startRow;
    }
  }
  return undefined;
}
