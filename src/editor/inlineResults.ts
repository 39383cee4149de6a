import * as vscode from 'vscode';
import { traceMark } from '../common/trace';
import {
  inlineSummary,
  runningSummary,
  failureSummary,
  RUNNING_DELAY_MS,
  type InlineSummary,
} from './inlineResultText';

import { realTimer } from '../kernels/timer';
import type { Disposable } from '../common/disposable';
import type { ExecutionResult, Timer } from '../kernels/types';
import { applyLineEdit, lineEditOf, type LineSpan } from './lineSpans';

/** One result drawn after the last line of the code that produced it. */
interface InlineResult extends LineSpan {
  id: number;
  summary: InlineSummary;
  /** Not drawn yet: "running…" waits {@link RUNNING_DELAY_MS}, and a quick run only ever draws its result. */
  hidden: boolean;
}

/** A handle to update one inline result when its run ends. */
interface InlineResultHandle {
  finish(result: ExecutionResult): void;
  fail(message: string): void;
}

const noop: InlineResultHandle = { finish: () => undefined, fail: () => undefined };

/**
 * Inline results (as in Hydrogen, Calva and julia-vscode): a faint `after` decoration on the last line that ran,
 * with a hover holding the full text. A result follows edits above it and disappears when its lines are edited.
 * One decoration type for all results; each result carries its own text.
 */
export class InlineResults implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', fontStyle: 'italic', color: new vscode.ThemeColor('editorCodeLens.foreground') },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly byDoc = new Map<string, InlineResult[]>();
  private readonly subs: vscode.Disposable[] = [];
  private nextId = 0;

  constructor(
    private readonly enabled: () => boolean,
    private readonly timer: Timer = realTimer,
  ) {
    this.subs.push(
      this.type,
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.byDoc.delete(doc.uri.toString())),
    );
  }

  /**
   * Shows "running…" after `lastLine` (after {@link RUNNING_DELAY_MS}, or at once when it replaces a result on the same
   * lines); returns a handle for the outcome.
   */
  start(doc: vscode.TextDocument, firstLine: number, lastLine: number): InlineResultHandle {
    if (!this.enabled()) {
      return noop;
    }
    const key = doc.uri.toString();
    const before = this.byDoc.get(key) ?? [];
    const kept = before.filter((r) => r.lastLine < firstLine || r.firstLine > lastLine);
    // An older result on these lines goes at once (it must not pass for this run's): then "running…" shows at once too.
    const replacing = kept.length < before.length;
    const result: InlineResult = {
      id: ++this.nextId,
      firstLine,
      lastLine,
      summary: runningSummary,
      hidden: !replacing,
    };
    kept.push(result);
    this.byDoc.set(key, kept);
    let reveal: Disposable | undefined;
    if (replacing) {
      this.render(key);
    } else {
      reveal = this.timer.setTimeout(() => {
        result.hidden = false;
        if (this.byDoc.get(key)?.includes(result)) {
          this.render(key);
        }
      }, RUNNING_DELAY_MS);
    }
    const set = (summary: InlineSummary) => {
      reveal?.dispose();
      result.hidden = false;
      // The result may be gone (its lines were edited while it ran): then there is nothing to update.
      if (this.byDoc.get(key)?.includes(result)) {
        result.summary = summary;
        this.render(key);
      }
    };
    return { finish: (r) => set(inlineSummary(r)), fail: (message) => set(failureSummary(message)) };
  }

  /** The results of a document as text, for tests and the hover: `line → summary`. */
  textsOf(uri: vscode.Uri): Array<{ line: number; text: string }> {
    return (this.byDoc.get(uri.toString()) ?? [])
      .filter((r) => !r.hidden)
      .map((r) => ({ line: r.lastLine, text: r.summary.text }));
  }

  clear(uri?: vscode.Uri): void {
    if (uri) {
      this.byDoc.delete(uri.toString());
    } else {
      this.byDoc.clear();
    }
    this.renderAll();
  }

  private onEdit(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const results = this.byDoc.get(key);
    if (!results || e.contentChanges.length === 0) {
      return;
    }
    let kept = results;
    for (const change of e.contentChanges) {
      kept = applyChange(kept, change, e.document);
    }
    this.byDoc.set(key, kept);
    this.render(key);
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      this.renderEditor(editor, this.byDoc.get(editor.document.uri.toString()) ?? []);
    }
  }

  private render(key: string): void {
    const results = this.byDoc.get(key) ?? [];
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === key) {
        this.renderEditor(editor, results);
      }
    }
  }

  private renderEditor(editor: vscode.TextEditor, results: readonly InlineResult[]): void {
    const options = results
      .filter((r) => !r.hidden && r.lastLine < editor.document.lineCount)
      .map((r) => decorationFor(editor.document, r));
    traceMark('inline.setDecorations');
    editor.setDecorations(this.type, options);
  }

  dispose(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
    this.byDoc.clear();
  }
}

function decorationFor(doc: vscode.TextDocument, r: InlineResult): vscode.DecorationOptions {
  const end = doc.lineAt(r.lastLine).range.end;
  const hover = new vscode.MarkdownString();
  if (r.summary.detail) {
    hover.appendCodeblock(r.summary.detail, 'text');
  } else {
    hover.appendText(r.summary.kind === 'running' ? 'Running…' : 'Ran without output.');
  }
  hover.appendMarkdown('\n\n[Show results](command:kernelIslands.showResults)');
  hover.isTrusted = { enabledCommands: ['kernelIslands.showResults'] };
  const color = r.summary.kind === 'error' ? new vscode.ThemeColor('editorError.foreground') : undefined;
  return {
    range: new vscode.Range(end, end),
    hoverMessage: hover,
    renderOptions: { after: { contentText: r.summary.text, color } },
  };
}

/** Applies one content change to a document's results (see {@link applyLineEdit}). */
function applyChange(
  results: InlineResult[],
  change: vscode.TextDocumentContentChangeEvent,
  doc: vscode.TextDocument,
): InlineResult[] {
  return applyLineEdit(results, lineEditOf(change, doc.lineAt(change.range.start.line).text.length));
}
