/**
 * Statement-aware Shift+Enter (issue 16): the time from "the cursor is on this line" to "these lines run", on
 * documents the size of a long analysis script. Per keypress the document has just changed (the user typed), so
 * each sample edits the text first, then parses (incrementally, from the document's last tree) and finds the
 * statement. The baseline, measured in the same run, is a full parse of the same text without the old tree.
 */
import { statementAt } from '../src/workbench/statementRanges';
import { SyntaxTrees, type StatementLanguage } from '../src/workbench/syntaxTrees';
import { installedGrammarFiles } from '../test/shared/grammarFiles';
import type { BenchConfig } from './options';
import type { RowInput } from './report';

export interface StatementRangeData {
  /** Loading web-tree-sitter and the grammar: once per window, at the first statement-aware run. */
  loadMs: Record<StatementLanguage, number>;
  lines: Record<StatementLanguage, number>;
  /** Edit, incremental parse and range, per keypress. */
  keypressMs: Record<StatementLanguage, number[]>;
  /** The same texts parsed from scratch (what a parse without the kept tree would cost). */
  fullParseMs: Record<StatementLanguage, number[]>;
}

/** A Python script of `blocks` varied top-level statements (defs, classes, decorators, loops, calls, comments). */
export function pythonScript(blocks: number): string {
  const parts: string[] = ['import math', 'import statistics as st', ''];
  for (let i = 0; i < blocks; i++) {
    parts.push(
      `# %% step ${i}`,
      `@cache`,
      `def step_${i}(values, scale=${i}):`,
      `    """Scale and summarise; def inside a docstring: def fake(): pass."""`,
      `    out = [v * scale for v in values if v > ${i % 7}]`,
      `    if not out:`,
      `        return None`,
      `    elif len(out) == 1:`,
      `        return out[0]`,
      `    else:`,
      `        return st.mean(out)`,
      ``,
      `class Model${i}:`,
      `    def __init__(self, k=${i}):`,
      `        self.k = k`,
      ``,
      `    def fit(self, xs):`,
      `        for x in xs:`,
      `            self.k += math.sqrt(abs(x))`,
      `        return self`,
      ``,
      `result_${i} = step_${i}(`,
      `    [1, 2, 3, ${i}],`,
      `    scale=2,`,
      `)`,
      `total_${i} = 1 + \\`,
      `    ${i}`,
      ``,
    );
  }
  return parts.join('\n');
}

/** An R script of `blocks` top-level statements (functions, pipes, if/else, loops, comments). */
export function rScript(blocks: number): string {
  const parts: string[] = ['library(stats)', ''];
  for (let i = 0; i < blocks; i++) {
    parts.push(
      `# step ${i}`,
      `step_${i} <- function(x, k = ${i}) {`,
      `  y <- x * k`,
      `  if (length(y) > 1) {`,
      `    mean(y)`,
      `  } else {`,
      `    y`,
      `  }`,
      `}`,
      `df_${i} <- mtcars |>`,
      `  subset(mpg > ${i % 30}) |>`,
      `  head(10)`,
      `for (j in 1:3) {`,
      `  print(step_${i}(j))`,
      `}`,
      ``,
    );
  }
  return parts.join('\n');
}

/** Lines of a text's statements, to put the cursor on and edit at. */
function editableLines(text: string): number[] {
  const lines = text.split('\n');
  return lines.flatMap((line, i) => (line.trim() !== '' && !line.trimStart().startsWith('#') ? [i] : []));
}

/** Types a character at the end of line `line` (before a continuation backslash), and returns the new text. */
function typeAt(text: string, line: number, char: string): string {
  let index = -1;
  for (let i = 0; i <= line; i++) {
    index = text.indexOf('\n', index + 1);
  }
  if (text[index - 1] === '\\') {
    index--;
  }
  return text.slice(0, index) + char + text.slice(index);
}

async function measureLanguage(
  language: StatementLanguage,
  text: string,
  keypresses: number,
): Promise<{ loadMs: number; keypressMs: number[]; fullParseMs: number[] }> {
  const trees = new SyntaxTrees(installedGrammarFiles());
  const fresh = new SyntaxTrees(installedGrammarFiles());
  try {
    let started = performance.now();
    await trees.topLevel('load', language, '');
    const loadMs = performance.now() - started;
    await fresh.topLevel('load', language, '');
    const lines = editableLines(text);
    // The document's first parse (the tree every later keypress builds on).
    await trees.topLevel('doc', language, text);
    const keypressMs: number[] = [];
    const fullParseMs: number[] = [];
    let current = text;
    for (let i = 0; i < keypresses; i++) {
      // Spread over the file, so edits land at its start, middle and end alike; a space keeps it parseable.
      const line = lines[Math.floor(((i * 7919) % keypresses) * (lines.length / keypresses))];
      current = typeAt(current, line, ' ');
      started = performance.now();
      const range = statementAt(await trees.topLevel('doc', language, current), line);
      keypressMs.push(performance.now() - started);
      if (range.kind !== 'statement') {
        throw new Error(`line ${line} of the ${language} script gave ${range.kind}`);
      }
      if (i % 10 === 0) {
        started = performance.now();
        statementAt(await fresh.topLevel(`full-${i}`, language, current), line);
        fullParseMs.push(performance.now() - started);
      }
    }
    return { loadMs, keypressMs, fullParseMs };
  } finally {
    trees.dispose();
    fresh.dispose();
  }
}

export async function measureStatementRange(config: BenchConfig): Promise<StatementRangeData> {
  const keypresses = config.quick ? 100 : 400;
  const texts: Record<StatementLanguage, string> = { python: pythonScript(75), r: rScript(125) };
  const data: StatementRangeData = {
    loadMs: { python: 0, r: 0 },
    lines: { python: 0, r: 0 },
    keypressMs: { python: [], r: [] },
    fullParseMs: { python: [], r: [] },
  };
  for (const language of ['python', 'r'] as const) {
    const measured = await measureLanguage(language, texts[language], keypresses);
    data.loadMs[language] = measured.loadMs;
    data.lines[language] = texts[language].split('\n').length;
    data.keypressMs[language] = measured.keypressMs;
    data.fullParseMs[language] = measured.fullParseMs;
  }
  return data;
}

export function statementRangeRows(data: StatementRangeData): RowInput[] {
  const names: Record<StatementLanguage, string> = { python: 'Python', r: 'R' };
  return (['python', 'r'] as const).map((language) => ({
    id: `S1.${language}`,
    label: `statement range per Shift+Enter after a keypress, ${names[language]} (${data.lines[language]} lines)`,
    unit: 'ms',
    samples: data.keypressMs[language],
    baseline: { label: 'full parse', samples: data.fullParseMs[language] },
    goal: { metric: 'median', op: '<=', target: 2 },
    note:
      `edit + incremental tree-sitter parse + range; first use in a window also loads the parser and grammar ` +
      `(${data.loadMs[language].toFixed(0)} ms here).`,
  }));
}
