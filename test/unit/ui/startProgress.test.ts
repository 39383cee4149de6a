import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/common/event';
import type { ContextChangeEvent, ContextInfo, IContextRegistry } from '../../../src/kernels/types';
import { showStartProgress } from '../../../src/ui/kernels/startProgress';
import { FakeTimer } from '../fakeTimer';
import { vscodeDouble } from '../withVscodeDouble';

function starting(id: string, server: string): ContextChangeEvent {
  const context: ContextInfo = {
    id,
    kind: 'named',
    label: id,
    kernelName: 'python3',
    kernelId: '',
    state: 'starting',
    executionCount: null,
    server,
  };
  return { type: 'changed', context };
}

describe('showStartProgress', () => {
  let changes: Emitter<ContextChangeEvent>;
  let timer: FakeTimer;
  let hubBusy: boolean;
  let progress: { dispose(): void };

  beforeEach(() => {
    changes = new Emitter();
    timer = new FakeTimer();
    hubBusy = true;
    const registry = { onDidChangeContexts: changes.event } as unknown as IContextRegistry;
    progress = showStartProgress(registry, { timer, serverShowsStart: (server) => server === 'hub' && hubBusy });
  });
  afterEach(() => progress.dispose());

  it('shows a slow kernel start after half a second', () => {
    changes.fire(starting('agent:a', 'local'));
    timer.advance(400);
    assert.deepEqual(vscodeDouble.progressTitles, []);
    timer.advance(100);
    assert.deepEqual(vscodeDouble.progressTitles, ['Kernel Islands: starting python3 kernel for agent:a…']);
  });

  it('waits while the hub server shows its own start (its progress, or Start Again), then shows the kernel start', () => {
    changes.fire(starting('agent:h', 'hub'));
    timer.advance(5000);
    assert.deepEqual(vscodeDouble.progressTitles, [], 'the Start Again question stays the newest notification');
    hubBusy = false;
    timer.advance(500);
    assert.deepEqual(vscodeDouble.progressTitles, ['Kernel Islands: starting python3 kernel for agent:h…']);
  });
});
