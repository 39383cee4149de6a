import * as assert from 'node:assert/strict';
import { Emitter } from '../../../src/common/event';
import type { ContextChangeEvent, ContextInfo } from '../../../src/kernels/types';
import { StateLostNotice } from '../../../src/ui/kernels/stateLostNotice';
import { FakeTimer } from '../fakeTimer';

function info(id: string, label = id): ContextInfo {
  return {
    id,
    kind: 'named',
    label,
    kernelName: 'python3',
    kernelId: 'k',
    state: 'dead',
    executionCount: null,
    server: 'local',
  };
}

function lost(id: string, reason: ContextChangeEvent['reason'], message: string, label?: string): ContextChangeEvent {
  return { type: 'state-lost', context: info(id, label), reason, message };
}

describe('StateLostNotice', () => {
  let changes: Emitter<ContextChangeEvent>;
  let timer: FakeTimer;
  let shown: string[];
  let notice: StateLostNotice;

  beforeEach(() => {
    changes = new Emitter();
    timer = new FakeTimer();
    shown = [];
    notice = new StateLostNotice(changes.event, (m) => shown.push(m), timer);
  });
  afterEach(() => notice.dispose());

  it('says plainly that a crashed kernel lost its state and that the next run starts fresh', () => {
    changes.fire(lost('file:///w/a.py', 'kernel-died', 'The kernel died: its variables are lost.', 'a.py'));
    assert.deepEqual(shown, [], 'gathered first');
    timer.advance(200);
    assert.deepEqual(shown, [
      'Kernel Islands: a.py: The kernel died: its variables are lost. Its next run starts a fresh kernel.',
    ]);
  });

  it('a server death is one notice naming the contexts, not one per context', () => {
    const message = 'The Jupyter server stopped: the kernel and its state are lost.';
    for (const n of [1, 2, 3, 4, 5, 6]) {
      changes.fire(lost(`agent:${n}`, 'server-died', message));
    }
    timer.advance(200);
    assert.deepEqual(shown, [
      `Kernel Islands: ${message} Affected: agent:1, agent:2, agent:3, agent:4 and 2 more. Their next runs start fresh kernels.`,
    ]);
  });

  it('a restart the user asked for and other changes are not announced', () => {
    changes.fire(lost('agent:r', 'restarted', 'The kernel was restarted.'));
    changes.fire({ type: 'changed', context: info('agent:r') });
    timer.advance(1000);
    assert.deepEqual(shown, []);
  });

  it('a kernel not found after a reload is announced without the next-run sentence', () => {
    changes.fire(lost('agent:x', 'not-restored', 'The kernel from before the reload is gone.'));
    timer.advance(200);
    assert.deepEqual(shown, ['Kernel Islands: agent:x: The kernel from before the reload is gone.']);
  });

  it('dispose drops what was gathered', () => {
    changes.fire(lost('agent:y', 'kernel-died', 'died'));
    notice.dispose();
    timer.advance(200);
    changes.fire(lost('agent:z', 'kernel-died', 'died'));
    timer.advance(200);
    assert.deepEqual(shown, []);
  });
});
