import * as vscode from 'vscode';
import { traceMark } from '../../common/trace';
import { realTimer } from '../../kernels/timer';
import type { Timer } from '../../kernels/types';
import { kernelDescription } from '../../python/pythonEnvironment';
import { FlushThrottle } from './flushThrottle';
import type { ErrorReporter } from '../../workbench/reportError';
import type { RunLocations } from '../../editor/runLocations';
import type { ContextChangeEvent, ExecutionEvent, IContextRegistry } from '../../kernels/types';
import { OutputSpill } from './outputSpill';
import type { ContextConsole } from './contextConsole';
import type { RunView } from './outputView';
import { ContextResults, defaultLimits } from './resultsModel';
import { resultsHtml } from './resultsHtml';
import { RESULTS_VIEW_TYPE, restoredPanel } from './resultsRestore';
import { openTracebackTarget } from './tracebackNavigation';
import { PanelReveal } from './panelReveal';
import type { ResultsHostMessage, ResultsPageMessage } from './resultsMessages';
import { RUNNING_DELAY_MS } from '../../editor/inlineResultText';

/**
 * How often a panel receives updates while output streams in; bounds the work per second for floods. The first
 * update after a quiet spell goes at once ({@link FlushThrottle}).
 */
const FLUSH_MS = 100;

/** What the results panels are built from. */
interface ResultsPanelsOptions {
  registry: IContextRegistry;
  extensionUri: vscode.Uri;
  /** Folder for the full text of truncated runs (the extension's storage). */
  spillDir: string;
  /** Where runs came from, to turn `Cell In [3], line 2` into a document position. */
  locations: RunLocations;
  maxOutputLines: () => number;
  allowScripts: () => boolean;
  /** The one error path (`workbench/reportError`): a traceback link or full text that cannot open is reported there. */
  report: ErrorReporter;
  /** Sources whose runs bring the panel into view (e.g. 'editor'); API runs only update an open panel. */
  revealFor?: ReadonlySet<string>;
  /** The input line at the bottom of each panel: runs, history and completions. */
  console: ContextConsole;
  /** Times a new panel's wait for the run's inline result ({@link PanelReveal}); the real clock by default. */
  timer?: Timer;
}

/** One webview panel showing one context's runs. */
class ContextPanel implements vscode.Disposable {
  private readonly dirty = new Map<number, RunView>();
  private readonly dropped = new Map<number, RunView>();
  private readonly throttle = new FlushThrottle(
    () => this.flush(),
    FLUSH_MS,
    realTimer,
    () => performance.now(),
  );
  private readonly subs: vscode.Disposable[] = [];

  /** Focus the input line once the page is ready (Focus Console on a panel still loading). */
  focusWhenReady = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    /** Whose runs the panel shows; the webview saves it in its state, for the panel's restore after a reload. */
    public contextId: string,
    private readonly results: ContextResults,
    private readonly allowScripts: () => boolean,
    private readonly history: () => readonly string[],
    onMessage: (msg: Exclude<ResultsPageMessage, { type: 'ready' }>) => void,
    onDispose: () => void,
  ) {
    this.subs.push(
      panel.webview.onDidReceiveMessage((msg: ResultsPageMessage) => {
        if (msg?.type === 'ready') {
          traceMark('panel.ready');
          this.reset();
        } else if (msg?.type) {
          onMessage(msg);
        }
      }),
      panel.onDidDispose(() => {
        this.dispose();
        onDispose();
      }),
    );
  }

  reset(): void {
    this.dirty.clear();
    const options = { allowScripts: this.allowScripts() };
    this.post({
      type: 'reset',
      runs: this.results.runs,
      options,
      history: this.history(),
      contextId: this.contextId,
    });
    if (this.focusWhenReady) {
      this.focusWhenReady = false;
      this.focusConsole();
    }
  }

  focusConsole(): void {
    this.post({ type: 'focusConsole' });
  }

  /** The one way to the page: every message the host sends it is a {@link ResultsHostMessage}. */
  post(message: ResultsHostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /**
   * `when`: 'now' sends on the next turn, not after the flood interval (a run that ended shows its result at once);
   * 'started' waits {@link RUNNING_DELAY_MS}, as the inline "running…" does (a quick run is sent once, with its
   * result: the workbench draws the panel once, not twice, and the inline result sooner); 'soon' waits for the flood
   * interval only.
   */
  markDirty(run: RunView, when: 'now' | 'started' | 'soon' = 'soon'): void {
    this.dropped.delete(run.id);
    this.dirty.set(run.id, run);
    if (when === 'now') {
      this.throttle.requestNow();
    } else if (when === 'started') {
      this.throttle.requestLater(RUNNING_DELAY_MS);
    } else {
      this.throttle.request();
    }
  }

  /** Only the count of hidden characters changed (a flood past the bound): the run itself is not sent again. */
  markDropped(run: RunView): void {
    if (!this.dirty.has(run.id)) {
      this.dropped.set(run.id, run);
      this.throttle.request();
    }
  }

  private flush(): void {
    for (const run of this.dirty.values()) {
      traceMark('panel.postMessage');
      this.post({ type: 'run', run });
    }
    for (const run of this.dropped.values()) {
      this.post({ type: 'dropped', id: run.id, droppedChars: run.droppedChars });
    }
    this.dirty.clear();
    this.dropped.clear();
  }

  dispose(): void {
    this.throttle.dispose();
    this.subs.splice(0).forEach((s) => s.dispose());
  }
}

/**
 * Keeps a results view model per context (fed by the registry's execution events) and shows it in a webview
 * panel beside the editor, one panel per context. Surfaces never call this: it observes the registry.
 */
export class ResultsPanels implements vscode.Disposable {
  private readonly results = new Map<string, ContextResults>();
  private readonly panels = new Map<string, ContextPanel>();
  private readonly subs: vscode.Disposable[] = [];
  private readonly spill: OutputSpill;
  private readonly revealFor: ReadonlySet<string>;
  /** New panels wait for their run's inline result: building a webview holds up the workbench's drawing. */
  private readonly reveal: PanelReveal;

  constructor(private readonly options: ResultsPanelsOptions) {
    this.spill = new OutputSpill(options.spillDir);
    this.revealFor = options.revealFor ?? new Set(['editor']);
    this.reveal = new PanelReveal((id) => this.show(id), options.timer ?? realTimer);
    this.subs.push(
      options.registry.onDidExecute((e) => this.onExecute(e)),
      options.registry.onDidChangeContexts((e) => this.onContextChange(e)),
      // A panel open before a window reload comes back showing the runs its webview saved (`resultsRestore`).
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => this.restore(panel, state),
      }),
    );
  }

  /** Opens (or reveals) the results panel of a context. */
  show(contextId: string, preserveFocus = true): void {
    this.reveal.cancel(contextId);
    const existing = this.panels.get(contextId);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      this.titleOf(contextId),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...this.webviewOptions(), retainContextWhenHidden: true },
    );
    this.bind(contextId, panel);
  }

  /**
   * A results panel VS Code brings back after a window reload, with the state its webview saved: it shows that
   * context's saved runs, marked as from before the reload, and the context's new runs below them. A panel
   * without such state (or one whose context already has a panel again) is closed.
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const saved = restoredPanel(state);
    if (!saved) {
      panel.dispose();
      return;
    }
    this.resultsOf(saved.contextId).restore(saved.runs);
    const existing = this.panels.get(saved.contextId);
    if (existing) {
      panel.dispose();
      existing.reset();
      return;
    }
    panel.webview.options = this.webviewOptions();
    if (this.options.registry.get(saved.contextId)) {
      panel.title = this.titleOf(saved.contextId);
    }
    this.bind(saved.contextId, panel);
  }

  private webviewOptions(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.options.extensionUri, 'media')] };
  }

  /** Makes `panel` the one showing `contextId`'s runs (and, after a rename, the context's new id's). */
  private bind(contextId: string, panel: vscode.WebviewPanel): void {
    const { extensionUri } = this.options;
    panel.webview.html = resultsHtml(panel.webview, extensionUri, this.titleOf(contextId), this.options.allowScripts());
    const view: ContextPanel = new ContextPanel(
      panel,
      contextId,
      this.resultsOf(contextId),
      this.options.allowScripts,
      () => this.options.console.history(view.contextId),
      (msg) => void this.onMessage(view.contextId, msg),
      () => {
        this.panels.delete(view.contextId);
        // Its context went while the panel was open: nothing can show these results any more.
        if (!this.options.registry.get(view.contextId)) {
          this.drop(view.contextId);
        }
      },
    );
    this.panels.set(contextId, view);
  }

  /** Opens the context's panel and puts the keyboard focus in its input line. */
  focusConsole(contextId: string): void {
    const existing = this.panels.get(contextId);
    this.show(contextId, false);
    const panel = this.panels.get(contextId);
    if (existing) {
      panel?.focusConsole();
    } else if (panel) {
      panel.focusWhenReady = true;
    }
  }

  /** Clears a context's results (and its panel, if open). */
  clear(contextId: string): void {
    const results = this.results.get(contextId);
    if (results) {
      void this.spill.forget(results.runs.map((r) => r.id));
      results.clearAll();
    }
    this.panels.get(contextId)?.reset();
  }

  /** The runs of a context as the panel holds them (for tests and commands). */
  runsOf(contextId: string): readonly RunView[] {
    return this.results.get(contextId)?.runs ?? [];
  }

  /** Opens the full text of a truncated run in an editor. */
  async openFullText(runId: number): Promise<void> {
    const path = await this.spill.pathOf(runId);
    if (!path) {
      void vscode.window.showInformationMessage('Kernel Islands: the full output of that run is no longer kept.');
      return;
    }
    // Through the workbench, not `showTextDocument`: a document over 50 MB cannot be synced to extensions, but the
    // editor can still show it (with its large-file optimisations).
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path), { preview: true });
  }

  private async onMessage(contextId: string, msg: Exclude<ResultsPageMessage, { type: 'ready' }>): Promise<void> {
    try {
      switch (msg.type) {
        case 'open':
          await openTracebackTarget(contextId, msg.ref, this.options.locations);
          break;
        case 'openFullText':
          await this.openFullText(msg.runId);
          break;
        case 'complete': {
          const found = await this.options.console.complete(contextId, msg.code, msg.cursor);
          this.panels.get(contextId)?.post({ type: 'completions', id: msg.id, ...found });
          break;
        }
        case 'consoleRun': {
          const run = this.options.console.run(contextId, msg.code);
          // The history is saved before the run ends: the panel shows it while the code runs.
          this.panels.get(contextId)?.post({ type: 'history', entries: this.options.console.history(contextId) });
          await run;
          break;
        }
        default:
          // Every page message is handled above (the compiler says so); anything else is ignored.
          msg satisfies never;
      }
    } catch (err) {
      this.options.report(err);
    }
  }

  private resultsOf(contextId: string): ContextResults {
    let results = this.results.get(contextId);
    if (!results) {
      const limits = { ...defaultLimits, maxLinesPerRun: this.options.maxOutputLines() };
      results = new ContextResults(limits, (runId, text, restart) => this.spill.write(runId, text, restart));
      this.results.set(contextId, results);
    }
    return results;
  }

  private titleOf(contextId: string): string {
    const info = this.options.registry.get(contextId);
    const label = info?.label ?? contextId;
    return info ? `Results: ${label} (${kernelDescription(info.kernelName)})` : `Results: ${label}`;
  }

  private onExecute(e: ExecutionEvent): void {
    const results = this.resultsOf(e.contextId);
    let run: RunView | undefined;
    if (e.type === 'start') {
      run = results.start(e.runId, e.code);
      if (this.revealFor.has(e.source) && this.panels.has(e.contextId)) {
        this.show(e.contextId);
      } else if (this.revealFor.has(e.source)) {
        this.reveal.started(e.contextId);
      }
    } else if (e.type === 'output') {
      const hiddenBefore = results.find(e.runId)?.droppedChars ?? 0;
      const panel = this.panels.get(e.contextId);
      for (const changed of results.apply(e.runId, e.event)) {
        // Past its bound a run only counts what it hides; tell the panel just that, not the whole run again.
        const onlyHidden = changed.id === e.runId && hiddenBefore > 0 && changed.droppedChars > hiddenBefore;
        if (onlyHidden && e.event.kind === 'output') {
          panel?.markDropped(changed);
        } else {
          panel?.markDirty(changed);
        }
      }
      return;
    } else {
      run = results.end(e.runId, e.result);
      this.reveal.ended(e.contextId);
    }
    const panel = this.panels.get(e.contextId);
    if (run && panel) {
      panel.markDirty(run, e.type === 'end' ? 'now' : 'started');
    }
  }

  private onContextChange(e: ContextChangeEvent): void {
    const id = e.context.id;
    if (e.type === 'renamed' && e.oldId) {
      this.move(e.oldId, id);
      this.reveal.move(e.oldId, id);
      void this.options.console.moved(e.oldId, id);
    }
    // A context's results live as long as the context or its open panel: without this every closed document
    // and every finished agent context would keep its runs (and spill files) until the window closes.
    if (e.type === 'removed') {
      this.reveal.cancel(id);
    }
    if (e.type === 'removed' && !this.panels.has(id)) {
      this.drop(id);
      return;
    }
    const panel = this.panels.get(id);
    if (panel) {
      panel.panel.title = this.titleOf(id);
    }
  }

  private drop(contextId: string): void {
    const results = this.results.get(contextId);
    if (results) {
      this.results.delete(contextId);
      void this.spill
        .forget(results.runs.map((r) => r.id))
        .catch(
          (err: unknown) =>
            void vscode.window.showWarningMessage(`Kernel Islands: could not delete output: ${String(err)}`),
        );
    }
  }

  private move(oldId: string, newId: string): void {
    const results = this.results.get(oldId);
    if (results) {
      this.results.delete(oldId);
      this.results.set(newId, results);
    }
    const panel = this.panels.get(oldId);
    if (panel) {
      this.panels.delete(oldId);
      this.panels.set(newId, panel);
      panel.contextId = newId;
      panel.post({ type: 'context', contextId: newId });
    }
  }

  dispose(): void {
    this.subs.splice(0).forEach((s) => s.dispose());
    this.reveal.dispose();
    for (const panel of [...this.panels.values()]) {
      panel.panel.dispose();
    }
    this.panels.clear();
    this.spill.dispose();
  }
}
