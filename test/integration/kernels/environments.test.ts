import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { hostPlatform } from '../../../src/common/platform';
import { waitForEvent } from '../../../src/common/event';
import { EnvironmentDiscovery } from '../../../src/python/environmentDiscovery';
import { EnvironmentNotReadyError } from '../../../src/python/environmentCheck';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextSpec } from '../../../src/kernels/types';
import { WarmKernels } from '../../../src/kernels/warmKernels';
import { findKernelPid } from '../../shared/kernelProcesses';
import { makeVenv, WHERE_AM_I, type TestVenv } from '../../shared/pythonEnvironments';
import { useTestServer } from '../fixtures/localServer';
import { serverKernelIds, tempFolder, textOf } from './helpers';
import { waitFor } from '../../shared/poll';
import { expectTransport, factoryWith, TRANSPORTS } from './transports';

/** A file `name` in `project`, as a document's context spec with the kernel of the environment discovery finds. */
function fileSpec(discovery: EnvironmentDiscovery, workspace: string, project: string, name: string): ContextSpec {
  const dir = path.join(project, 'src');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, WHERE_AM_I);
  const found = discovery.find({ dir, stopAt: workspace });
  assert.ok(found, `discovery found the environment of ${file}`);
  return {
    id: `file://${file}`,
    kind: 'file',
    label: name,
    cwd: dir,
    file,
    kernelName: environmentKernelName(found.python),
  };
}

/** `sys.prefix` and `marker.NAME` as a run printed them. */
function whereItRan(text: string): { prefix: string; marker: string } {
  const [prefix, marker] = text.trim().split('\n');
  return { prefix, marker };
}

describe('project environments (real venvs, real kernels)', function () {
  this.timeout(120_000);
  const t = useTestServer();
  let workspace: string;
  let a: TestVenv;
  let b: TestVenv;

  before(function () {
    workspace = tempFolder('envs');
    a = makeVenv(path.join(workspace, 'proj-a'), { marker: 'venv A' });
    b = makeVenv(path.join(workspace, 'proj-b'), { marker: 'venv B' });
  });

  for (const transport of TRANSPORTS) {
    it(`two files of two projects run at the same time, each in its own venv (${transport})`, async () => {
      const discovery = new EnvironmentDiscovery(hostPlatform({ env: {} }));
      const factory = factoryWith(t.server, transport);
      const registry = new ContextRegistry({ factory });
      try {
        const specA = fileSpec(discovery, workspace, path.dirname(a.root), `a-${transport}.py`);
        const specB = fileSpec(discovery, workspace, path.dirname(b.root), `b-${transport}.py`);
        const [ranA, ranB] = await Promise.all([
          registry.execute(specA, WHERE_AM_I),
          registry.execute(specB, WHERE_AM_I),
        ]);
        assert.deepEqual(whereItRan(textOf(ranA)), { prefix: a.root, marker: 'venv A' });
        assert.deepEqual(whereItRan(textOf(ranB)), { prefix: b.root, marker: 'venv B' });
        const session = await registry.getOrStart(specA);
        expectTransport(session, transport);
        assert.equal(registry.get(specA.id)?.environment?.root, a.root);
        assert.match(registry.get(specB.id)?.environment?.label ?? '', /^\.venv \(3\.\d+\)$/);
      } finally {
        await registry.disposeAsync();
      }
    });
  }

  it('a venv without ipykernel: a clear message with the fix, and nothing runs in another Python', async () => {
    const bare = makeVenv(path.join(workspace, 'proj-bare'), { marker: 'bare', systemSitePackages: false });
    const registry = new ContextRegistry({ factory: factoryWith(t.server, 'zmq') });
    try {
      const before = await serverKernelIds(t.connection);
      const spec: ContextSpec = {
        id: 'agent:bare',
        kind: 'agent',
        label: 'bare',
        kernelName: environmentKernelName(bare.python),
      };
      const failure = await registry.execute(spec, 'print(1)').then(
        () => assert.fail('ran in an environment without ipykernel'),
        (err: unknown) => err,
      );
      assert.ok(failure instanceof EnvironmentNotReadyError, String(failure));
      assert.equal(failure.problem, 'no-ipykernel');
      assert.equal(failure.contextId, 'agent:bare');
      assert.ok(failure.message.includes(`${bare.python} -m pip install ipykernel`), failure.message);
      assert.match(failure.message, /\.venv \(3\.\d+\).*has no ipykernel.*Nothing was started in another Python/);
      assert.deepEqual(await serverKernelIds(t.connection), before, 'no kernel was started anywhere');
      assert.equal(registry.get(spec.id)?.kernelId, '', 'the context has no kernel');
    } finally {
      await registry.disposeAsync();
    }
  });

  it('a deleted venv: the next run says the environment is gone, for a running context and a new one', async () => {
    const doomed = makeVenv(path.join(workspace, 'proj-doomed'), { marker: 'doomed' });
    const registry = new ContextRegistry({ factory: factoryWith(t.server, 'zmq') });
    try {
      const kernelName = environmentKernelName(doomed.python);
      const spec: ContextSpec = { id: 'agent:doomed', kind: 'agent', label: 'doomed', kernelName };
      assert.equal(whereItRan(textOf(await registry.execute(spec, WHERE_AM_I))).marker, 'doomed');
      rmSync(doomed.root, { recursive: true, force: true });
      for (const id of ['agent:doomed', 'agent:doomed-new']) {
        const failure = await registry.execute({ ...spec, id }, 'print(1)').then(
          () => assert.fail(`${id} ran although its environment was deleted`),
          (err: unknown) => err,
        );
        assert.ok(failure instanceof EnvironmentNotReadyError, String(failure));
        assert.equal(failure.problem, 'missing');
        assert.match(
          failure.message,
          new RegExp(`${doomed.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*no longer exists`),
        );
      }
    } finally {
      await registry.disposeAsync();
    }
  });

  it("the warm kernels hand each environment its own kernel, never another environment's (sys.prefix)", async () => {
    const factory = factoryWith(t.server, 'zmq');
    const pool = new WarmKernels({ factory, defaultKernelName: 'python3', size: 2 });
    const registry = new ContextRegistry({ factory, pool });
    try {
      const nameA = environmentKernelName(a.python);
      const nameB = environmentKernelName(b.python);
      pool.use(nameA);
      pool.use(nameB);
      await pool.whenSettled();
      assert.deepEqual(pool.kernelNames, [nameB, nameA], 'most recently used first');
      assert.deepEqual([pool.poolOf(nameA)?.available, pool.poolOf(nameB)?.available], [1, 1]);
      assert.equal(pool.poolOf('python3'), undefined, 'nothing warms for a kernelspec nobody used');
      const warmIds = await serverKernelIds(t.connection);

      const specA: ContextSpec = { id: 'agent:warm-a', kind: 'agent', label: 'a', kernelName: nameA };
      const specB: ContextSpec = { id: 'agent:warm-b', kind: 'agent', label: 'b', kernelName: nameB };
      const [ranA, ranB] = await Promise.all([
        registry.execute(specA, WHERE_AM_I),
        registry.execute(specB, WHERE_AM_I),
      ]);
      assert.deepEqual(whereItRan(textOf(ranA)), { prefix: a.root, marker: 'venv A' });
      assert.deepEqual(whereItRan(textOf(ranB)), { prefix: b.root, marker: 'venv B' });
      for (const spec of [specA, specB]) {
        assert.ok(warmIds.includes(registry.get(spec.id)?.kernelId ?? ''), `${spec.id} got a warm kernel`);
      }
      // Refilled per environment, within the total.
      await pool.whenSettled();
      assert.deepEqual([pool.poolOf(nameA)?.available, pool.poolOf(nameB)?.available], [1, 1]);
      // A third environment takes the total's kernel of the least recently used one.
      const c = makeVenv(path.join(workspace, 'proj-c'), { marker: 'venv C' });
      const specC: ContextSpec = {
        id: 'agent:warm-c',
        kind: 'agent',
        label: 'c',
        kernelName: environmentKernelName(c.python),
      };
      pool.use(specC.kernelName ?? '');
      await pool.whenSettled();
      assert.equal(pool.available, 2, 'the total stays within warmKernels');
      assert.equal(pool.poolOf(specC.kernelName ?? '')?.available, 1);
      assert.equal(whereItRan(textOf(await registry.execute(specC, WHERE_AM_I))).prefix, c.root);
    } finally {
      await registry.disposeAsync();
      await pool.disposeAsync();
    }
  });

  it('a kernel that crashed, or was restarted, comes back in its own environment', async () => {
    const registry = new ContextRegistry({ factory: factoryWith(t.server, 'zmq') });
    try {
      const spec: ContextSpec = {
        id: 'agent:crash',
        kind: 'agent',
        label: 'crash',
        kernelName: environmentKernelName(a.python),
      };
      await registry.execute(spec, 'x = 1');
      const pid = await findKernelPid(registry.get(spec.id)?.kernelId ?? '');
      assert.ok(pid, 'found the kernel process');
      const lost = waitForEvent(registry.onDidChangeContexts, (e) => e.type === 'state-lost');
      process.kill(pid, 'SIGKILL');
      await lost;
      assert.deepEqual(whereItRan(textOf(await registry.execute(spec, WHERE_AM_I))), {
        prefix: a.root,
        marker: 'venv A',
      });
      await registry.restart(spec.id);
      await waitFor('the restarted kernel', () => (registry.get(spec.id)?.state === 'idle' ? true : undefined));
      assert.equal(whereItRan(textOf(await registry.execute(spec, WHERE_AM_I))).prefix, a.root);
    } finally {
      await registry.disposeAsync();
    }
  });

  it('a context restored after a reload gets its kernel back in its environment', async () => {
    const factory = factoryWith(t.server, 'zmq');
    // The first window leaves its kernels running when it goes, as a reload does.
    const first = new ContextRegistry({ factory, keepsKernelsOnDispose: () => true });
    const second = new ContextRegistry({ factory });
    try {
      const spec: ContextSpec = {
        id: 'agent:reload',
        kind: 'agent',
        label: 'reload',
        kernelName: environmentKernelName(b.python),
      };
      await first.execute(spec, 'y = 42');
      const kernelId = first.get(spec.id)?.kernelId;
      const snapshot = JSON.parse(JSON.stringify(first.snapshot())) as unknown[];
      await first.disposeAsync();
      second.restore(snapshot);
      assert.equal(second.get(spec.id)?.environment?.root, b.root, 'the restored context reports its environment');
      const after = await second.execute({ id: spec.id, kind: 'agent', label: 'reload' }, `${WHERE_AM_I}\nprint(y)`);
      assert.equal(second.get(spec.id)?.kernelId, kernelId, 'the same kernel');
      assert.deepEqual(textOf(after).trim().split('\n'), [b.root, 'venv B', '42']);
    } finally {
      await second.disposeAsync();
    }
  });
});
