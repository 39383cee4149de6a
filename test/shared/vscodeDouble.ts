/**
 * The one test double of the `vscode` module, grown from what the unit tests and the bench need. Plain Node loads it
 * in place of `vscode` (`test/unit/withVscodeDouble.ts` for the unit tests, `bench/activationHarness.ts` for the
 * bench's activation figure).
 *
 * Known values are real: classes (Uri, EventEmitter, Disposable, MarkdownString, tab inputs, the MCP and language
 * model result classes), enums with VS Code's numbers, and namespaces that record what the code under test asked
 * (messages, progress, commands, status bar items, webview panels) and answer what the test set (settings, tabs,
 * editors, the user's answer to a message). Strict by default: a name the double does not hold throws, naming it, so
 * a test never passes because a stand-in swallowed a call. `createVscodeDouble({ otherApi })` (the bench) answers
 * every other API name with a no-op value instead, so new API uses in the extension do not break the bench.
 */
import * as path from 'node:path';
import { Emitter } from '../../src/common/event';

type Listener<T> = (e: T) => unknown;
type DisposableLike = { dispose(): unknown };

export class Disposable {
  static from(...items: DisposableLike[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  constructor(private readonly onDispose: () => unknown) {}
  dispose(): void {
    this.onDispose();
  }
}

/** `vscode.EventEmitter`: the product's own `Emitter` has its shape. */
export { Emitter as EventEmitter };

/** `vscode.Uri`, enough for file and parsed URIs; a parsed URI prints as the text it was parsed from. */
export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    private readonly text?: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath);
  }
  static parse(value: string): Uri {
    const match = /^([a-z][\w+.-]*):(?:\/\/[^/]*)?([^?#]*)/i.exec(value);
    return match ? new Uri(match[1], match[2], value) : new Uri('file', value);
  }
  /** Accepts any `{ scheme?, path }`, as tests pass plain objects for an extension's URI. */
  static joinPath(base: { scheme?: string; path: string }, ...parts: string[]): Uri {
    return new Uri(base.scheme ?? 'file', path.posix.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { scheme?: string; path?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return this.text ?? (this.scheme === 'file' ? `file://${this.path}` : `${this.scheme}:${this.path}`);
  }
  toJSON(): string {
    return this.toString();
  }
}

export class MarkdownString {
  isTrusted: unknown;
  supportThemeIcons: unknown;
  constructor(public value = '') {}
  appendCodeblock(code: string): this {
    this.value += code;
    return this;
  }
  appendText(text: string): this {
    this.value += text;
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

export class Range {
  constructor(
    readonly start: unknown,
    readonly end: unknown,
  ) {}
}

export class TreeItem {
  constructor(
    public label?: unknown,
    public collapsibleState?: number,
  ) {}
}

/** The tab input classes `workbench/openTabs` tells apart. */
export class TabInputText {
  constructor(readonly uri: Uri) {}
}
export class TabInputNotebook {
  constructor(
    readonly uri: Uri,
    readonly notebookType = 'jupyter-notebook',
  ) {}
}
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}
export class TabInputWebview {
  constructor(readonly viewType: string) {}
}
export type TabGroups = Array<{ tabs: Array<{ input: unknown }> }>;

export class McpHttpServerDefinition {
  constructor(
    readonly label: string,
    public uri: { toString(): string },
    public headers: Record<string, string> = {},
    public version?: string,
  ) {}
}

export class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}

export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}

/** A status bar item that records each property set and show/hide, in order (each one is a message to the workbench). */
export class FakeStatusBarItem {
  readonly sets: string[] = [];
  private readonly values: Record<string, unknown> = {};
  constructor(
    readonly alignment?: number,
    readonly priority?: number,
  ) {
    for (const key of ['text', 'tooltip', 'color', 'backgroundColor', 'command', 'name', 'accessibilityInformation']) {
      Object.defineProperty(this, key, {
        get: () => this.values[key],
        set: (value: unknown) => {
          this.sets.push(key);
          this.values[key] = value;
        },
      });
    }
  }
  declare text: string;
  show(): void {
    this.sets.push('show');
  }
  hide(): void {
    this.sets.push('hide');
  }
  dispose(): void {
    // Nothing to release.
  }
}

/** A webview panel: records what is posted to it and lets the test send messages from the page. */
export class FakeWebviewPanel {
  title = '';
  disposed = false;
  reveals = 0;
  readonly posted: Array<{ type: string; [key: string]: unknown }> = [];
  private readonly receivers: Array<(msg: unknown) => void> = [];
  private readonly disposers: Array<() => void> = [];
  readonly webview = {
    html: '',
    options: {} as unknown,
    cspSource: 'https://webview',
    asWebviewUri: (uri: { path: string }) => uri.path,
    postMessage: async (msg: { type: string }) => void this.posted.push(msg),
    onDidReceiveMessage: (fn: (msg: unknown) => void) => {
      this.receivers.push(fn);
      return { dispose: () => undefined };
    },
  };
  constructor(
    readonly viewType = '',
    title = '',
  ) {
    this.title = title;
  }
  onDidDispose(fn: () => void): DisposableLike {
    this.disposers.push(fn);
    return { dispose: () => undefined };
  }
  reveal(): void {
    this.reveals++;
  }
  dispose(): void {
    this.disposed = true;
    this.disposers.forEach((fn) => fn());
  }
  /** A message from the page. */
  send(msg: unknown): void {
    this.receivers.forEach((fn) => fn(msg));
  }
  /** The last message of `type` posted to the page. */
  last<T>(type: string): T {
    return this.posted.filter((m) => m.type === type).at(-1) as T;
  }
}

export interface ShownMessage {
  kind: 'error' | 'warning' | 'information';
  message: string;
  choices: string[];
}

type Serializer = { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> };

/**
 * What a test sets and reads on the double. `reset()` (before every unit test) empties the records and puts every
 * answer back to a user with no settings, no editors, no tabs and no answer to any question.
 */
export class VscodeRecords {
  /** Messages shown (error, warning, information), in order. */
  messages: ShownMessage[] = [];
  /** What the user picks in the next message (undefined: they close it). */
  answer: string | undefined;
  /** `commands.executeCommand` calls: the id and arguments. */
  executed: unknown[][] = [];
  /** Titles of `window.withProgress` notifications, in order, and what their tasks reported. */
  progressTitles: string[] = [];
  progressReports: Array<{ message?: string; increment?: number }> = [];
  /** Settings by section, then key without the section; a section not here is an error (strict double). */
  settings: Record<string, Record<string, unknown>> = { kernelIslands: {} };
  /** `window.tabGroups.all`. */
  tabGroups: TabGroups = [];
  statusBarItems: FakeStatusBarItem[] = [];
  webviewPanels: FakeWebviewPanel[] = [];
  /** Told of each webview panel as it is created (for tests of ordering). */
  onWebviewPanel: (panel: FakeWebviewPanel) => void = () => undefined;
  serializers = new Map<string, Serializer>();
  /** Fire these to tell the code under test the window changed. */
  events = {
    activeTextEditor: new Emitter<unknown>(),
    activeNotebookEditor: new Emitter<unknown>(),
    visibleTextEditors: new Emitter<unknown>(),
    textDocumentChanged: new Emitter<unknown>(),
    textDocumentClosed: new Emitter<unknown>(),
  };
  activeTextEditor: unknown;
  activeNotebookEditor: unknown;
  visibleTextEditors: unknown[] = [];
  /** `workspace.textDocuments` and `workspace.notebookDocuments`. */
  textDocuments: unknown[] = [];
  notebookDocuments: unknown[] = [];
  isTrusted = true;

  reset(): void {
    Object.assign(this, new VscodeRecords());
  }
}

/** A `vscode` module the code loads, and the records a test sets and reads. */
export interface VscodeDouble {
  module: Record<string, unknown>;
  records: VscodeRecords;
}

/** VS Code's enum values the product reads. */
const enums = {
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  DecorationRangeBehavior: { OpenOpen: 0, ClosedClosed: 1, OpenClosed: 2, ClosedOpen: 3 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  NotebookCellKind: { Markup: 1, Code: 2 },
};

/** A notebook output item as the notebook surface builds them: the text (or error) and its MIME type. */
class NotebookCellOutputItem {
  constructor(
    readonly data: unknown,
    readonly mime: string,
  ) {}
  static text(text: string, mime = 'text/plain'): NotebookCellOutputItem {
    return new NotebookCellOutputItem(text, mime);
  }
  static error(error: unknown): NotebookCellOutputItem {
    return new NotebookCellOutputItem(error, 'application/vnd.code.notebook.error');
  }
}

class NotebookCellOutput {
  constructor(
    readonly items: NotebookCellOutputItem[],
    readonly metadata?: Record<string, unknown>,
  ) {}
}

export function createVscodeDouble(options: { otherApi?: readonly string[] } = {}): VscodeDouble {
  const records = new VscodeRecords();
  const lenient = options.otherApi !== undefined;
  const showMessage =
    (kind: ShownMessage['kind']) =>
    (message: string, ...choices: unknown[]): Promise<string | undefined> => {
      const labels = choices.filter((c): c is string => typeof c === 'string');
      records.messages.push({ kind, message, choices: labels });
      return Promise.resolve(records.answer);
    };
  const event =
    (emitter: () => Emitter<unknown>) =>
    (listener: Listener<unknown>): DisposableLike =>
      emitter().event(listener);

  const window = {
    showErrorMessage: showMessage('error'),
    showWarningMessage: showMessage('warning'),
    showInformationMessage: showMessage('information'),
    withProgress: (
      progressOptions: { title?: string },
      task: (progress: { report(r: { message?: string; increment?: number }): void }, token: unknown) => unknown,
    ) => {
      records.progressTitles.push(progressOptions.title ?? '');
      return Promise.resolve(
        task(
          { report: (r) => records.progressReports.push(r) },
          { isCancellationRequested: false, onCancellationRequested: () => new Disposable(() => undefined) },
        ),
      );
    },
    createStatusBarItem: (alignment?: number, priority?: number) => {
      const item = new FakeStatusBarItem(alignment, priority);
      records.statusBarItems.push(item);
      return item;
    },
    createTextEditorDecorationType: () => new Disposable(() => undefined),
    createTreeView: () => ({
      visible: true,
      description: '',
      onDidChangeVisibility: () => new Disposable(() => undefined),
      dispose: () => undefined,
    }),
    registerWebviewPanelSerializer: (viewType: string, serializer: Serializer) => {
      records.serializers.set(viewType, serializer);
      return new Disposable(() => records.serializers.delete(viewType));
    },
    createWebviewPanel: (viewType: string, title: string) => {
      const panel = new FakeWebviewPanel(viewType, title);
      records.webviewPanels.push(panel);
      records.onWebviewPanel(panel);
      return panel;
    },
    get activeTextEditor() {
      return records.activeTextEditor;
    },
    get activeNotebookEditor() {
      return records.activeNotebookEditor;
    },
    get visibleTextEditors() {
      return records.visibleTextEditors;
    },
    tabGroups: {
      get all() {
        return records.tabGroups;
      },
    },
    onDidChangeActiveTextEditor: event(() => records.events.activeTextEditor),
    onDidChangeActiveNotebookEditor: event(() => records.events.activeNotebookEditor),
    onDidChangeVisibleTextEditors: event(() => records.events.visibleTextEditors),
  };

  const workspace = {
    get isTrusted() {
      return records.isTrusted;
    },
    workspaceFolders: undefined,
    getWorkspaceFolder: () => undefined,
    get textDocuments() {
      return records.textDocuments;
    },
    get notebookDocuments() {
      return records.notebookDocuments;
    },
    getConfiguration: (section: string) => {
      const values = records.settings[section] ?? (lenient ? {} : undefined);
      if (!values) {
        throw new Error(`the vscode double holds no settings section "${section}" (set records.settings)`);
      }
      return {
        get: (key: string, fallback?: unknown) => (key in values ? values[key] : fallback),
        has: (key: string) => key in values,
        inspect: () => undefined,
        update: (key: string, value: unknown) => Promise.resolve(void (values[key] = value)),
      };
    },
    onDidChangeTextDocument: event(() => records.events.textDocumentChanged),
    onDidCloseTextDocument: event(() => records.events.textDocumentClosed),
  };

  const commands = {
    executeCommand: (...args: unknown[]) => {
      records.executed.push(args);
      return Promise.resolve(undefined);
    },
    registerCommand: () => new Disposable(() => undefined),
  };

  const known: Record<string, unknown> = {
    version: '1.95.0',
    ...enums,
    Disposable,
    EventEmitter: Emitter,
    Uri,
    MarkdownString,
    ThemeColor,
    ThemeIcon,
    Position,
    Range,
    TreeItem,
    TabInputText,
    TabInputNotebook,
    TabInputTextDiff,
    TabInputWebview,
    NotebookCellOutputItem,
    NotebookCellOutput,
    McpHttpServerDefinition,
    LanguageModelToolResult,
    LanguageModelTextPart,
    window,
    workspace,
    commands,
  };
  // Bundlers copy the module's own keys (esbuild's __toESM), so every API name must be a real property.
  for (const name of options.otherApi ?? []) {
    known[name] ??= anything(`vscode.${name}`);
  }
  return { module: guarded('vscode', known, lenient), records };
}

/** Names module loaders and inspectors probe on any object; never API. */
const probes = new Set(['then', '__esModule', 'default', 'toJSON', 'constructor', 'inspect', 'asymmetricMatch']);

/**
 * `target`, where reading a name it lacks throws (strict) or gives a no-op value (lenient); the same holds inside
 * the plain objects it holds (`window.tabGroups`).
 */
function guarded<T extends object>(name: string, target: T, lenient: boolean): T {
  const children = new Map<PropertyKey, unknown>();
  const nested = new WeakMap<object, unknown>();
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'symbol' || probes.has(prop)) {
        return Reflect.get(t, prop, receiver);
      }
      if (prop in t) {
        const value: unknown = Reflect.get(t, prop, receiver);
        const plain = typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
        if (!plain) {
          return value;
        }
        if (!nested.has(value)) {
          nested.set(value, guarded(`${name}.${prop}`, value, lenient));
        }
        return nested.get(value);
      }
      if (!lenient) {
        throw new Error(`the vscode double has no ${name}.${prop}: add it to test/shared/vscodeDouble.ts`);
      }
      if (!children.has(prop)) {
        children.set(prop, anything(`${name}.${prop}`));
      }
      return children.get(prop);
    },
  });
}

/** A value that is callable, constructible and has every property; awaiting it gives itself (lenient double only). */
function anything(name: string): object {
  const children = new Map<PropertyKey, unknown>();
  const target = function () {
    return undefined;
  };
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') {
        return undefined;
      }
      if (prop === Symbol.toPrimitive) {
        return (hint: string) => (hint === 'number' ? 0 : name);
      }
      if (prop === Symbol.iterator) {
        return function* () {
          // Collections of the lenient API are empty.
        };
      }
      if (prop === 'dispose') {
        return () => undefined;
      }
      if (!children.has(prop)) {
        children.set(prop, anything(`${name}.${String(prop)}`));
      }
      return children.get(prop);
    },
    // Values the extension sets (item.text, item.command) are kept, so later reads see them.
    set(_t, prop, value) {
      children.set(prop, value);
      return true;
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`),
  });
}

/** A `Memento` (globalState, workspaceState) over a map. */
export function fakeMemento(initial: Record<string, unknown> = {}) {
  const values = new Map<string, unknown>(Object.entries(initial));
  return {
    get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
    update: (key: string, value: unknown) => Promise.resolve(void values.set(key, value)),
    keys: () => [...values.keys()],
    setKeysForSync: () => undefined,
  };
}

/**
 * The parts of an `ExtensionContext` the product reads, rooted at the extension folder; `workspaceState` holds
 * `options.workspaceState`. `lenient` (the bench) answers any other name with a no-op value.
 */
export function fakeExtensionContext(
  extensionPath: string,
  storageDir: string,
  options: { workspaceState?: Record<string, unknown>; lenient?: boolean } = {},
) {
  const context = {
    subscriptions: [] as DisposableLike[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    globalState: fakeMemento(),
    workspaceState: fakeMemento(options.workspaceState),
    secrets: {
      get: async () => undefined,
      store: async () => undefined,
      delete: async () => undefined,
      onDidChange: () => new Disposable(() => undefined),
    },
    storageUri: Uri.file(path.join(storageDir, 'workspace')),
    globalStorageUri: Uri.file(path.join(storageDir, 'global')),
    logUri: Uri.file(path.join(storageDir, 'log')),
    storagePath: path.join(storageDir, 'workspace'),
    globalStoragePath: path.join(storageDir, 'global'),
    logPath: path.join(storageDir, 'log'),
    extensionMode: 1,
    asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
  };
  return options.lenient ? guarded('context', context, true) : context;
}

/** Top-level names of the VS Code API (namespaces, classes, enums) read from the text of `@types/vscode`. */
export function vscodeApiNames(typesText: string): string[] {
  return [...typesText.matchAll(/^\texport (?:namespace|class|enum) (\w+)/gm)].map((m) => m[1]);
}
