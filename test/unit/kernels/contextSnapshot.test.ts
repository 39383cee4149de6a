import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { claimedKernelIds, planRestore, RESTORE_LOST_MESSAGE } from '../../../src/kernels/registry/contextSnapshot';
import type { ContextChangeEvent, KernelSession } from '../../../src/kernels/types';
import { FakeFactory, FakeSession } from './fakes';

/** A factory whose `connect` finds the kernels the test put on its fake "server". */
class ReconnectingFactory extends FakeFactory {
  readonly onServer = new Map<string, FakeSession>();
  readonly connects: string[] = [];

  async connect(kernelId: string): Promise<KernelSession | undefined> {
    this.connects.push(kernelId);
    return this.onServer.get(kernelId);
  }
}

const snap = (id: string, kernelId?: string, attachedTo?: string) => ({
  id,
  label: id,
  kernelName: 'python3',
  kernelId,
  attachedTo,
  cwd: `/work/${id}`,
});

describe('planRestore (what a window reload restores)', () => {
  const cases: Array<[string, unknown[], Array<[string, string | undefined, string | undefined]>]> = [
    [
      'keeps each context with its own kernel',
      [snap('a', 'k1'), snap('b', 'k2')],
      [
        ['a', 'k1', undefined],
        ['b', 'k2', undefined],
      ],
    ],
    [
      'gives a kernel claimed twice to the first context only',
      [snap('a', 'k1'), snap('b', 'k1')],
      [
        ['a', 'k1', undefined],
        ['b', undefined, undefined],
      ],
    ],
    [
      'keeps an attachment whose target is restored, without a kernel of its own',
      [snap('a', 'k1'), snap('d', 'k1', 'a')],
      [
        ['a', 'k1', undefined],
        ['d', undefined, 'a'],
      ],
    ],
    ['drops an attachment to a context that is not restored', [snap('d', 'k9', 'gone')], [['d', 'k9', undefined]]],
    [
      'drops duplicates and malformed items',
      [snap('a', 'k1'), snap('a', 'k2'), { id: 3 }, null, 'x'],
      [['a', 'k1', undefined]],
    ],
  ];
  for (const [title, input, expected] of cases) {
    it(title, () => {
      const plan = planRestore(input);
      assert.deepEqual(
        plan.map((s) => [s.id, s.kernelId, s.attachedTo]),
        expected,
      );
    });
  }

  it('derives the kind of snapshots saved before kinds existed from their id, and keeps a saved kind', () => {
    const old = (id: string) => ({ id, label: id, kernelName: 'python3' });
    const plan = planRestore([
      old('file:///w/a.py'),
      old('untitled:Untitled-1'),
      old('file:///w/n.ipynb'),
      old('agent:chat-1'),
      old('my-session'),
      { ...old('vscode-remote://h/x.py'), kind: 'file' },
      // A kind this version does not know (a newer one wrote it) is derived again rather than trusted.
      { ...old('agent:from-the-future'), kind: 'hologram' },
    ]);
    assert.deepEqual(
      plan.map((s) => [s.id, s.kind]),
      [
        ['file:///w/a.py', 'file'],
        ['untitled:Untitled-1', 'untitled'],
        ['file:///w/n.ipynb', 'notebook'],
        ['agent:chat-1', 'agent'],
        ['my-session', 'named'],
        ['vscode-remote://h/x.py', 'file'],
        ['agent:from-the-future', 'agent'],
      ],
    );
  });

  it('claims exactly the kernel ids the plan hands out', () => {
    const plan = planRestore([snap('a', 'k1'), snap('b', 'k1'), snap('c', 'k3')]);
    assert.deepEqual([...claimedKernelIds(plan)].sort(), ['k1', 'k3']);
  });
});

describe('ContextRegistry.restore / snapshot (fake kernels)', () => {
  let factory: ReconnectingFactory;
  let registry: ContextRegistry;
  let changes: ContextChangeEvent[];

  beforeEach(() => {
    factory = new ReconnectingFactory();
    registry = new ContextRegistry({ factory });
    changes = [];
    registry.onDidChangeContexts((e) => changes.push(e));
  });
  afterEach(() => registry.disposeAsync());

  it('starts nothing on restore and reconnects each context to its own kernel on first run', async () => {
    const k1 = new FakeSession();
    const k2 = new FakeSession();
    factory.onServer.set('k1', k1).set('k2', k2);
    registry.restore([snap('a', 'k1'), snap('b', 'k2')]);
    assert.deepEqual(factory.connects, []);
    assert.deepEqual(factory.started, []);

    await registry.execute({ id: 'a', kind: 'named', label: 'a' }, 'print(x)');
    await registry.execute({ id: 'b', kind: 'named', label: 'b' }, 'print(x)');
    assert.deepEqual(k1.userCode, ['print(x)']);
    assert.deepEqual(k2.userCode, ['print(x)']);
    assert.equal(factory.started.length, 0, 'a fresh kernel was started for a context whose kernel survived');
    assert.equal(factory.setUps.length, 0, 'the set-up ran again on a kernel that already had it');
    assert.equal(changes.filter((e) => e.type === 'state-lost').length, 0);
  });

  it('starts a fresh kernel and reports the state lost when the old kernel is gone', async () => {
    registry.restore([snap('a', 'gone')]);
    await registry.execute({ id: 'a', kind: 'named', label: 'a' }, 'print(x)');
    assert.equal(factory.started.length, 1);
    assert.deepEqual(factory.setUps[0]?.target, { cwd: '/work/a', file: undefined });
    const lost = changes.find((e) => e.type === 'state-lost');
    assert.equal(lost?.context.id, 'a');
    assert.equal(lost?.message, RESTORE_LOST_MESSAGE);
  });

  it('runs an attached context on its target kernel, as before the reload', async () => {
    const k1 = new FakeSession();
    factory.onServer.set('k1', k1);
    registry.restore([snap('a', 'k1'), snap('d', undefined, 'a')]);
    await registry.execute({ id: 'd', kind: 'named', label: 'd' }, 'print(x)');
    assert.deepEqual(k1.userCode, ['print(x)']);
    assert.equal(registry.get('d')?.attachedTo, 'a');
  });

  it('snapshots carry the kind, and a restored old snapshot without one lists with its derived kind', () => {
    registry.restore([
      { id: 'file:///w/n.ipynb', label: 'n.ipynb', kernelName: 'python3' },
      { id: 'agent:x', kind: 'agent', label: 'agent:x', kernelName: 'python3' },
    ]);
    assert.equal(registry.get('file:///w/n.ipynb')?.kind, 'notebook');
    assert.deepEqual(
      registry.snapshot().map((s) => [s.id, s.kind]),
      [
        ['file:///w/n.ipynb', 'notebook'],
        ['agent:x', 'agent'],
      ],
    );
    // Through the JSON of workspace state and back, the kind is kept.
    const again = planRestore(JSON.parse(JSON.stringify(registry.snapshot())) as unknown[]);
    assert.deepEqual(
      again.map((s) => s.kind),
      ['notebook', 'agent'],
    );
  });

  it('keeps an unconnected kernel id in the snapshot, so a second reload still finds it', () => {
    registry.restore([snap('a', 'k1')]);
    assert.equal(registry.snapshot()[0]?.kernelId, 'k1');
  });

  it('shuts down the old kernel of a restored context closed before its first run', async () => {
    const k1 = new FakeSession();
    factory.onServer.set('k1', k1);
    registry.restore([snap('a', 'k1')]);
    await registry.shutdown('a');
    assert.equal(k1.shutdowns, 1);
  });
});
