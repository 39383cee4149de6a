import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { Timer } from '../../../src/kernels/types';
import { ResultsPanels } from '../../../src/ui/results/resultsPanel';
import { Uri, type FakeWebviewPanel } from '../../shared/vscodeDouble';
import { FakeFactory } from '../kernels/fakes';
import { vscodeDouble } from '../withVscodeDouble';

/** Results panels over a registry of fake kernels, in the `vscode` double; `done()` tears them down. */
export interface ResultsPanelsHarness {
  registry: ContextRegistry;
  factory: FakeFactory;
  panels: InstanceType<typeof ResultsPanels>;
  /** The webview panels created, in order. */
  created: FakeWebviewPanel[];
  serializers: Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>;
  done(): Promise<void>;
}

export function resultsPanelsHarness(
  options: { timer?: Timer; onCreate?: (panel: FakeWebviewPanel) => void } = {},
): ResultsPanelsHarness {
  const spillDir = mkdtempSync(join(tmpdir(), 'ki-panels-'));
  const factory = new FakeFactory();
  const registry = new ContextRegistry({ factory });
  vscodeDouble.onWebviewPanel = options.onCreate ?? (() => undefined);
  const panels = new ResultsPanels({
    registry,
    extensionUri: Uri.file('/ext') as never,
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
    created: vscodeDouble.webviewPanels,
    serializers: vscodeDouble.serializers,
    async done() {
      panels.dispose();
      await registry.disposeAsync();
      rmSync(spillDir, { recursive: true, force: true });
    },
  };
}
