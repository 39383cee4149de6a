import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/common/event';
import type { ContextChangeEvent, ContextInfo, IContextRegistry } from '../../../src/kernels/types';
import { requireWithVscodeStub } from '../withVscodeStub';
import { FakeTimer } from '../fakeTimer';

const shown: string[] = [];
const vscodeStub = {
  ProgressLocation: { Notification: 15 },
  Disposable: class {
    constructor(private readonly fn: () => void) {}
    dispose(): void {
      this.fn();
    }
  },
  window: {
    withProgress: (options: { title: string }, task: () => Promise<void>) => {
      shown.push(options.title);
      return task();
    },
  },
};

const { showStartProgress } = requireWithVscodeStub<typeof import('../../../src/ui/kernels/startProgress')>(
  require.resolve('../../../src/ui/kernels/startProgress'),
  vscodeStub,
);

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
    shown.length = 0;
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
    assert.deepEqual(shown, []);
    timer.advance(100);
    assert.deepEqual(shown, ['Kernel Islands: starting python3 kernel for agent:a…']);
  });

  it('waits while the hub server shows its own start (its progress, or Start Again), then shows the kernel start', () => {
    changes.fire(starting('agent:h', 'hub'));
    timer.advance(5000);
    assert.deepEqual(shown, [], 'the Start Again question stays the newest notification');
    hubBusy = false;
    timer.advance(500);
    assert.deepEqual(shown, ['Kernel Islands: starting python3 kernel for agent:h…']);
  });
});
