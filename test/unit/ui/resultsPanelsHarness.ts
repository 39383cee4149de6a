import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { Timer } from '../../../src/kernels/types';
import { FakeFactory } from '../kernels/fakes';
import { requireWithVscodeStub } from '../withVscodeStub';

/** A webview panel as the results panels use it: records what they post, and lets the test send messages. */
export class FakePanel {
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
  onDidDispose(fn: () => void) {
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
  send(msg: unknown): void {
    this.receivers.forEach((fn) => fn(msg));
  }
  last<T>(type: string): T {
    return this.posted.filter((m) => m.type === type).at(-1) as T;
  }
}

const serializers = new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>();
const created: FakePanel[] = [];
/** Told of each panel the results panels create, as they create it (for tests of ordering). */
let onCreate: (panel: FakePanel) => void = () => undefined;
const vscodeStub = {
  Uri: { joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join('/') }) },
  ViewColumn: { Beside: -2 },
  window: {
    registerWebviewPanelSerializer: (viewType: string, serializer: never) => {
      serializers.set(viewType, serializer);
      return { dispose: () => serializers.delete(viewType) };
    },
    createWebviewPanel: () => {
      const panel = new FakePanel();
      created.push(panel);
      onCreate(panel);
      return panel;
    },
    showInformationMessage: async () => undefined,
    showWarningMessage: async () => undefined,
  },
  commands: { executeCommand: async () => undefined },
};
for (const name of ['results/resultsPanel', 'results/resultsHtml', 'webviewPage', 'results/tracebackNavigation']) {
  delete require.cache[require.resolve(`../../../src/ui/${name}`)];
}
const { ResultsPanels } = requireWithVscodeStub<typeof import('../../../src/ui/results/resultsPanel')>(
  require.resolve('../../../src/ui/results/resultsPanel'),
  vscodeStub,
);

/** Results panels over a registry of fake kernels, in a stubbed `vscode`; `done()` tears them down. */
export interface ResultsPanelsHarness {
  registry: ContextRegistry;
  factory: FakeFactory;
  panels: InstanceType<typeof ResultsPanels>;
  /** The webview panels created, in order. */
  created: FakePanel[];
  serializers: typeof serializers;
  done(): Promise<void>;
}

export function resultsPanelsHarness(
  options: { timer?: Timer; onCreate?: (panel: FakePanel) => void } = {},
): ResultsPanelsHarness {
  const spillDir = mkdtempSync(join(tmpdir(), 'ki-panels-'));
  const factory = new FakeFactory();
  const registry = new ContextRegistry({ factory });
  created.length = 0;
  onCreate = options.onCreate ?? (() => undefined);
  const panels = new ResultsPanels({
    registry,
    extensionUri: { path: '/ext' } as never,
    spillDir,
    locations: {} as never,
    maxOutputLines: () => 5000,
    allowScripts: () => false,
    report: (err) => assert.fail(String(err)),
    console: { history: () => [] } as never,
    timer: options.timer,
  });
  return {
    registry,
    factory,
    panels,
    created,
    serializers,
    async done() {
      panels.dispose();
      await registry.disposeAsync();
      rmSync(spillDir, { recursive: true, force: true });
    },
  };
}
