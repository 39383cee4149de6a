import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { statementAt } from '../workbench/statementRanges';
import { statementLanguageOf, type SyntaxTrees } from '../workbench/syntaxTrees';

/** What Shift+Enter without a selection runs: lines `firstLine`..`lastLine` (none when `runs` is false). */
interface LinesToRun {
  runs: boolean;
  firstLine: number;
  lastLine: number;
  /** Where the cursor goes next: the next statement's first line, or the line after (at the end of the file). */
  nextLine: number;
}

/**
 * Finds the top-level statement at the cursor (Python and R, through tree-sitter in the extension host), or the
 * line itself: when the setting is off, for other languages, and where the file does not parse (said once per
 * document).
 */
export class StatementFinder {
  private readonly toldUnparsable = new Set<string>();
  private warnedLoad = false;

  constructor(
    private readonly trees: SyntaxTrees,
    private readonly enabled: () => boolean,
    private readonly log: Logger,
  ) {}

  async at(doc: vscode.TextDocument, line: number): Promise<LinesToRun> {
    const justLine = { runs: true, firstLine: line, lastLine: line, nextLine: line + 1 };
    const language = statementLanguageOf(doc.languageId);
    if (!language || !this.enabled()) {
      return justLine;
    }
    let found;
    try {
      found = statementAt(await this.trees.topLevel(doc.uri.toString(), language, doc.getText()), line);
    } catch (err) {
      if (!this.warnedLoad) {
        this.warnedLoad = true;
        this.log.warn(`Statement-aware run is off: the ${language} parser did not load (${String(err)}).`);
      }
      return justLine;
    }
    if (found.kind === 'unparsable') {
      this.tellUnparsable(doc, line);
      return justLine;
    }
    if (found.kind === 'none') {
      return { runs: false, firstLine: line, lastLine: line, nextLine: found.nextLine ?? line + 1 };
    }
    return { runs: true, ...found, nextLine: found.nextLine ?? found.lastLine + 1 };
  }

  /** Drops what is kept for a closed document. */
  forget(doc: vscode.TextDocument): void {
    this.trees.forget(doc.uri.toString());
    this.toldUnparsable.delete(doc.uri.toString());
  }

  private tellUnparsable(doc: vscode.TextDocument, line: number): void {
    const key = doc.uri.toString();
    if (this.toldUnparsable.has(key)) {
      return;
    }
    this.toldUnparsable.add(key);
    const name = doc.uri.path.split('/').pop() ?? key;
    void vscode.window.showInformationMessage(
      `Kernel Islands: ${name} does not parse at line ${line + 1}, so Shift+Enter runs single lines where it ` +
        'cannot find a whole statement.',
    );
  }
}
