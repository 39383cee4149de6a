import type * as TreeSitter from 'web-tree-sitter';
import type { Disposable } from '../common/disposable';
import type { TopLevelNode, TopLevelNodes } from './statementRanges';

/** Languages whose statements we find: tree-sitter grammars shipped with the extension. */
export type StatementLanguage = 'python' | 'r';

/** The statement language of a VS Code language id, or undefined when we have no grammar for it. */
export function statementLanguageOf(languageId: string): StatementLanguage | undefined {
  return languageId === 'python' ? 'python' : languageId === 'r' ? 'r' : undefined;
}

/** Where the wasm files are: tree-sitter's runtime and one grammar per language. */
export interface GrammarFiles {
  runtime: string;
  grammar: Record<StatementLanguage, string>;
}

/** The files as `esbuild.mjs` lays them out next to the bundle (`dist/`). */
export function packagedGrammarFiles(distDir: string): GrammarFiles {
  const join = (...parts: string[]) => [distDir, ...parts].join('/');
  return {
    runtime: join('web-tree-sitter.wasm'),
    grammar: { python: join('grammars', 'tree-sitter-python.wasm'), r: join('grammars', 'tree-sitter-r.wasm') },
  };
}

let loaded: typeof TreeSitter | undefined;

/**
 * `web-tree-sitter`, evaluated on first use. The bundle ships it as its own file (`dist/web-tree-sitter.js`), so
 * activation neither parses nor runs it; only the first statement-aware run in a session pays for it.
 */
function webTreeSitter(): typeof TreeSitter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  loaded ??= require('web-tree-sitter') as typeof TreeSitter;
  return loaded;
}

/** One document's last parse, kept so the next parse of its text is incremental. */
interface KeptTree {
  language: StatementLanguage;
  text: string;
  tree: TreeSitter.Tree;
}

/** How many documents keep their tree (memory in the parser's wasm heap); the least recently parsed goes first. */
const DEFAULT_MAX_TREES = 16;

/**
 * Parses documents with tree-sitter (wasm, in the extension host: no process per keypress). Each document keeps
 * its last tree, and a new parse edits that tree with the one changed span between the old and new text, so a
 * parse after typing costs a fraction of a full one. Grammars load on first use of their language.
 */
export class SyntaxTrees implements Disposable {
  private init: Promise<void> | undefined;
  private readonly parsers = new Map<StatementLanguage, Promise<TreeSitter.Parser>>();
  private readonly kept = new Map<string, KeptTree>();
  private disposed = false;

  constructor(
    private readonly files: GrammarFiles,
    private readonly maxTrees = DEFAULT_MAX_TREES,
  ) {}

  /** The top-level nodes of `text` (document `key`, in `language`), reusing the document's last tree. */
  async topLevel(key: string, language: StatementLanguage, text: string): Promise<TopLevelNodes> {
    const parser = await this.parserFor(language);
    if (this.disposed) {
      throw new Error('The syntax trees were disposed.');
    }
    const kept = this.kept.get(key);
    let tree: TreeSitter.Tree | null;
    if (kept && kept.language === language && kept.text === text) {
      tree = kept.tree;
    } else {
      const old = kept?.language === language ? kept.tree : undefined;
      const edit = old && kept ? editBetween(kept.text, text) : undefined;
      if (old && edit) {
        old.edit(new (webTreeSitter().Edit)(edit));
      }
      tree = parser.parse(text, edit ? old : undefined);
      kept?.tree.delete();
      this.kept.delete(key);
      if (!tree) {
        throw new Error(`The ${language} parser returned no tree.`);
      }
    }
    // Most recently used last: re-inserting moves the document to the end.
    this.kept.delete(key);
    this.kept.set(key, { language, text, tree });
    this.evict();
    return topLevelOf(tree.rootNode);
  }

  /** How many documents keep a tree (at most the bound given to the constructor). */
  get size(): number {
    return this.kept.size;
  }

  /** Drops a document's tree (it closed). */
  forget(key: string): void {
    this.kept.get(key)?.tree.delete();
    this.kept.delete(key);
  }

  dispose(): void {
    this.disposed = true;
    for (const kept of this.kept.values()) {
      kept.tree.delete();
    }
    this.kept.clear();
    for (const parser of this.parsers.values()) {
      void parser.then(
        (p) => p.delete(),
        () => undefined,
      );
    }
    this.parsers.clear();
  }

  private evict(): void {
    while (this.kept.size > this.maxTrees) {
      const [oldest, kept] = this.kept.entries().next().value as [string, KeptTree];
      kept.tree.delete();
      this.kept.delete(oldest);
    }
  }

  private parserFor(language: StatementLanguage): Promise<TreeSitter.Parser> {
    let parser = this.parsers.get(language);
    if (!parser) {
      parser = this.loadParser(language);
      this.parsers.set(language, parser);
      // A failed load (missing file) is tried again next time rather than cached.
      parser.catch(() => this.parsers.delete(language));
    }
    return parser;
  }

  private async loadParser(language: StatementLanguage): Promise<TreeSitter.Parser> {
    const ts = webTreeSitter();
    this.init ??= ts.Parser.init({ locateFile: () => this.files.runtime });
    await this.init;
    const grammar = await ts.Language.load(this.files.grammar[language]);
    const parser = new ts.Parser();
    parser.setLanguage(grammar);
    return parser;
  }
}

/** The root's children, each read from the tree when first asked for (a long file is binary-searched). */
function topLevelOf(root: TreeSitter.Node): TopLevelNodes {
  const cache: TopLevelNode[] = [];
  return {
    count: root.childCount,
    at(index) {
      let node = cache[index];
      if (!node) {
        const child = root.child(index);
        if (!child) {
          throw new RangeError(`No top-level node ${index}.`);
        }
        node = {
          startRow: child.startPosition.row,
          endRow: child.endPosition.row,
          endColumn: child.endPosition.column,
          statement: child.isNamed && child.type !== 'comment',
          error: child.isError || child.isMissing || child.hasError,
        };
        cache[index] = node;
      }
      return node;
    },
  };
}

/** A tree-sitter edit in the text's own units (UTF-16 offsets and columns, as web-tree-sitter counts them). */
interface TextEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
  startPosition: TreeSitter.Point;
  oldEndPosition: TreeSitter.Point;
  newEndPosition: TreeSitter.Point;
}

/**
 * The one span that changed between two texts (common prefix and suffix kept), as a tree edit; undefined when
 * they are equal. One span covers any set of edits made since the last parse, at worst as one larger edit.
 */
export function editBetween(before: string, after: string): TextEdit | undefined {
  if (before === after) {
    return undefined;
  }
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) {
    start++;
  }
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const startPosition = pointAt(before, start);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointFrom(before, start, startPosition, oldEnd),
    newEndPosition: pointFrom(after, start, startPosition, newEnd),
  };
}

function pointAt(text: string, index: number): TreeSitter.Point {
  return pointFrom(text, 0, { row: 0, column: 0 }, index);
}

/** The row and column of `index`, counting on from a known point at `from`. */
function pointFrom(text: string, from: number, at: TreeSitter.Point, index: number): TreeSitter.Point {
  let row = at.row;
  let lineStart = from - at.column;
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < index; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return { row, column: index - lineStart };
}
