import * as assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/log';
import { contextSpec } from '../../../src/kernels/contextSpec';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextSnapshot } from '../../../src/kernels/registry/contextSnapshot';
import { FakeFactory } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';

import { ReloadState, reloadSnapshot } from '../../../src/workbench/reloadState';
import { fakeExtensionContext, TabInputText, Uri } from '../../shared/vscodeDouble';
import { vscodeDouble } from '../withVscodeDouble';

/** The tabs the extension host knows of: one group of text editors; a test changes them between steps. */
function showTabs(uris: string[]): void {
  vscodeDouble.tabGroups = [{ tabs: uris.map((uri) => ({ input: new TabInputText(Uri.parse(uri)) })) }];
}

/** An extension context whose workspace state holds `saved` as the previous window's contexts. */
function extensionContext(saved: ContextSnapshot[]) {
  return fakeExtensionContext('/ext', '/tmp/ki-unused-storage', {
    workspaceState: { 'kernelIslands.reload.contexts': saved },
  });
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('what a window reload brings back (workbench/reloadState)', () => {
  it("keeps editors' and agents' contexts, not an MCP session's (the session ends with the window)", async () => {
    const registry = new ContextRegistry({ factory: new FakeFactory() });
    try {
      for (const id of ['file:///w/a.py', 'agent:chat-1', 'agent:mcp-1a2b3c4d:main', 'agent:mcp-1a2b3c4d:a.py']) {
        await registry.execute(contextSpec({ id }), '1');
      }
      registry.attach('agent:mcp-1a2b3c4d:a.py', 'file:///w/a.py');
      assert.deepEqual(
        reloadSnapshot(registry).map((s) => s.id),
        ['file:///w/a.py', 'agent:chat-1'],
      );
    } finally {
      await registry.disposeAsync();
    }
  });

  it("a restored file whose tab reaches the extension host only after activation keeps its kernel (the reload test's lost a.py)", async () => {
    const saved: ContextSnapshot[] = ['a.py', 'b.py', 'gone.py'].map((name) => ({
      id: `file:///w/${name}`,
      kind: 'file',
      label: name,
      kernelName: 'python3',
      kernelId: `k-${name}`,
    }));
    const timer = new FakeTimer();
    const registry = new ContextRegistry({ factory: new FakeFactory(), timer });
    const reload = new ReloadState(extensionContext(saved) as never, nullLogger);
    try {
      showTabs([]);
      reload.track(registry, () => 30_000);
      assert.equal(registry.list().length, 3);
      // VS Code's restored editors arrive now, without a tab-opened event; gone.py did not come back.
      showTabs(['file:///w/a.py', 'file:///w/b.py']);
      timer.advance(30_000);
      await flush();
      assert.deepEqual(
        registry.list().map((c) => c.id),
        ['file:///w/a.py', 'file:///w/b.py'],
        'the shown files keep their contexts; the one with no tab is shut down',
      );
    } finally {
      reload.dispose();
      await registry.disposeAsync();
    }
  });
});
