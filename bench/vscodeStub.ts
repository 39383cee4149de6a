import * as path from 'node:path';

/**
 * A stand-in for the `vscode` module, just enough for `activate()` to run in plain Node so the bench can
 * time it. Every API call costs nothing here, so the figure is the extension's own work (module load,
 * object construction, registrations); a real host adds its IPC on top.
 *
 * Known values are real (EventEmitter, Disposable, Uri, configuration defaults); everything else is a
 * recursive no-op proxy, so new API uses in the extension do not break the bench.
 */
export function createVscodeStub(apiNames: readonly string[]): Record<string, unknown> {
  const stub: Record<string, unknown> = {
    version: '1.95.0',
    EventEmitter: StubEventEmitter,
    Disposable: StubDisposable,
    Uri: StubUri,
    workspace: merge(anything('workspace'), {
      workspaceFolders: undefined,
      isTrusted: true,
      textDocuments: [],
      notebookDocuments: [],
      getConfiguration: () => configuration,
    }),
    window: merge(anything('window'), { visibleTextEditors: [], activeTextEditor: undefined }),
  };
  // Bundlers copy the module's own keys (esbuild's __toESM), so every API name must be a real property.
  for (const name of apiNames) {
    stub[name] ??= anything(`vscode.${name}`);
  }
  return stub;
}

/** Top-level names of the VS Code API (namespaces, classes, enums) read from the text of `@types/vscode`. */
export function vscodeApiNames(typesText: string): string[] {
  return [...typesText.matchAll(/^\texport (?:namespace|class|enum) (\w+)/gm)].map((m) => m[1]);
}

/** Every `get(key, default)` answers the default, as for a user with no settings. */
const configuration = {
  get: (_key: string, fallback?: unknown) => fallback,
  has: () => false,
  inspect: () => undefined,
  update: () => Promise.resolve(),
};

type Listener = (e: unknown) => void;

class StubDisposable {
  static from(...items: Array<{ dispose(): unknown }>): StubDisposable {
    return new StubDisposable(() => items.forEach((item) => item.dispose()));
  }
  constructor(private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
  }
}

class StubEventEmitter {
  private listeners: Listener[] = [];
  readonly event = (listener: Listener) => {
    this.listeners.push(listener);
    return new StubDisposable(() => (this.listeners = this.listeners.filter((l) => l !== listener)));
  };
  fire(e: unknown): void {
    this.listeners.forEach((l) => l(e));
  }
  dispose(): void {
    this.listeners = [];
  }
}

class StubUri {
  private constructor(
    readonly scheme: string,
    readonly fsPath: string,
  ) {}
  static file(p: string): StubUri {
    return new StubUri('file', p);
  }
  static parse(value: string): StubUri {
    const match = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(value);
    return match ? new StubUri(match[1], match[1] === 'file' ? match[2] : value) : new StubUri('file', value);
  }
  static joinPath(base: StubUri, ...parts: string[]): StubUri {
    return new StubUri(base.scheme, path.join(base.fsPath, ...parts));
  }
  get path(): string {
    return this.fsPath;
  }
  with(change: { scheme?: string; path?: string }): StubUri {
    return new StubUri(change.scheme ?? this.scheme, change.path ?? this.fsPath);
  }
  toString(): string {
    return this.scheme === 'file' ? `file://${this.fsPath}` : this.fsPath;
  }
}

function merge(proxy: object, known: Record<string, unknown>): object {
  return new Proxy(known, {
    get: (target, prop) => (prop in target ? target[prop as string] : Reflect.get(proxy, prop)),
  });
}

/** A value that is callable, constructible and has every property; awaiting it gives itself. */
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
          // Collections of the stub API are empty.
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

/** The parts of an ExtensionContext an `activate` reads, rooted at the extension folder. */
export function createFakeContext(extensionPath: string, storageDir: string): Record<string, unknown> {
  const memento = () => {
    const values = new Map<string, unknown>();
    return {
      get: (key: string, fallback?: unknown) => (values.has(key) ? values.get(key) : fallback),
      update: (key: string, value: unknown) => Promise.resolve(void values.set(key, value)),
      keys: () => [...values.keys()],
      setKeysForSync: () => undefined,
    };
  };
  const known: Record<string, unknown> = {
    subscriptions: [],
    extensionPath,
    extensionUri: StubUri.file(extensionPath),
    globalState: memento(),
    workspaceState: memento(),
    storageUri: StubUri.file(path.join(storageDir, 'workspace')),
    globalStorageUri: StubUri.file(path.join(storageDir, 'global')),
    logUri: StubUri.file(path.join(storageDir, 'log')),
    storagePath: path.join(storageDir, 'workspace'),
    globalStoragePath: path.join(storageDir, 'global'),
    logPath: path.join(storageDir, 'log'),
    extensionMode: 1,
    asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
  };
  return merge(anything('context'), known) as Record<string, unknown>;
}
