import * as assert from 'node:assert/strict';
import { toDisposable } from '../../../src/common/disposable';
import { ContextEntry } from '../../../src/kernels/registry/contextEntry';
import { RunPipeline } from '../../../src/kernels/registry/runPipeline';
import type { ContextSpec, KernelSession } from '../../../src/kernels/types';
import { FakeSession } from './fakes';
import { FakeTimer } from '../fakeTimer';

/** A session that counts how often it was disposed (the connection closed). */
class CountingSession extends FakeSession {
  disposed = 0;

  override dispose(): void {
    this.disposed++;
    super.dispose();
  }
}

const pipeline = () =>
  new RunPipeline<ContextEntry>({
    prepare: () => Promise.reject(new Error('no kernel in these tests')),
    fire: () => undefined,
    ended: () => undefined,
    error: () => undefined,
  });

const entryFor = (spec: Partial<ContextSpec> = {}) =>
  new ContextEntry(
    { id: 'a.py', kind: 'file', label: 'a.py', cwd: '/w', file: '/w/a.py', ...spec },
    defaults,
    pipeline(),
  );

const defaults = { kernelName: 'python3', server: 'local' };

describe('ContextEntry', () => {
  it('takes what its spec names and the defaults for the rest; the id stands in for a missing label', () => {
    const plain = new ContextEntry({ id: 'agent:x', kind: 'agent', label: '' }, defaults, pipeline());
    assert.deepEqual([plain.label, plain.kernelName, plain.server], ['agent:x', 'python3', 'local']);
    const named = entryFor({ kernelName: 'ir', server: 'gpu' });
    assert.deepEqual([named.kernelName, named.server, named.target], ['ir', 'gpu', { cwd: '/w', file: '/w/a.py' }]);
  });

  describe('set-up', () => {
    it('is pending for a new kernel, done once marked set up, and pending again when the target moves', () => {
      const entry = entryFor();
      assert.equal(entry.setupPending, true);
      entry.markSetUp(entry.target);
      assert.equal(entry.setupPending, false);
      entry.update({ id: 'a.py', kind: 'file', label: 'a.py', file: '/w/b.py' });
      assert.equal(entry.setupPending, true, 'a Save As changes __file__');
      assert.deepEqual(entry.target, { cwd: '/w', file: '/w/b.py' });
      entry.markSetUp(entry.target);
      assert.equal(entry.setupPending, false);
    });

    it('marks the target it was given, not the one the entry has by the time the set-up returns', () => {
      const entry = entryFor();
      const sent = { ...entry.target };
      entry.update({ id: 'a.py', kind: 'file', label: 'a.py', cwd: '/elsewhere' });
      entry.markSetUp(sent);
      assert.equal(entry.setupPending, true, 'the move during the set-up still needs its own set-up');
    });

    it('is pending again after any state loss, until the next set-up', () => {
      for (const cause of ['restarted', 'died'] as const) {
        const entry = entryFor();
        entry.markSetUp(entry.target);
        entry.markLost(cause);
        assert.equal(entry.setupPending, true, cause);
        entry.markSetUp(entry.target);
        assert.equal(entry.setupPending, false, cause);
      }
    });

    it('a restored context counts its set-up as done (its kernel got it before the reload)', () => {
      const entry = entryFor();
      entry.markRestored('k-1');
      assert.deepEqual([entry.restoreKernelId, entry.setupPending], ['k-1', false]);
      entry.forgetRestoredKernel();
      assert.equal(entry.restoreKernelId, undefined);
    });
  });

  describe('death', () => {
    it("a death shows 'dead' over the session's own state until cleared; a restart does not", () => {
      const entry = entryFor();
      const session = new FakeSession();
      entry.adopt(session, 'local', []);
      entry.markLost('died');
      assert.equal(entry.died, true);
      assert.equal(entry.info(entry).state, 'dead', 'the server restarted the process, but the state is gone');
      assert.equal(entry.clearDied(), true);
      assert.equal(entry.clearDied(), false, 'only the first clear changes anything');
      assert.equal(entry.info(entry).state, 'idle');
      entry.markLost('died');
      entry.markLost('restarted');
      assert.equal(entry.died, false, 'a restart after a crash starts fresh on purpose');
    });
  });

  describe('session', () => {
    it('adopting a session on another server reports that server until the session is dropped', () => {
      const entry = entryFor();
      const session = new CountingSession();
      let unsubscribed = 0;
      entry.adopt(session, 'gpu', [toDisposable(() => unsubscribed++)]);
      assert.equal(entry.session, session);
      assert.equal(entry.liveSession, session);
      assert.equal(entry.kernelServer, 'gpu');
      assert.equal(entry.info(entry).server, 'gpu');
      entry.dropSession();
      assert.deepEqual([unsubscribed, session.disposed], [1, 1]);
      assert.equal(entry.session, undefined);
      assert.equal(entry.kernelServer, 'local', 'the next kernel starts on the context server');
    });

    it('adopting a new session ends the subscriptions to the one before', () => {
      const entry = entryFor();
      const ended: string[] = [];
      entry.adopt(new FakeSession(), 'local', [toDisposable(() => ended.push('first'))]);
      entry.adopt(new FakeSession(), 'local', [toDisposable(() => ended.push('second'))]);
      assert.deepEqual(ended, ['first']);
      entry.unsubscribeSession();
      assert.deepEqual(ended, ['first', 'second']);
      assert.notEqual(entry.session, undefined, 'unsubscribing keeps the session (it is about to be shut down)');
    });

    it('a dead or shut down session is not live, but is still reported', () => {
      for (const state of ['dead', 'shutdown'] as const) {
        const entry = entryFor();
        const session = new FakeSession();
        entry.adopt(session, 'local', []);
        session.setState(state);
        assert.equal(entry.liveSession, undefined, state);
        assert.equal(entry.info(entry).state, state);
      }
    });

    it('a start is shared while in flight and cleared before `settled` runs, whether it worked or failed', async () => {
      const entry = entryFor();
      const seen: Array<Promise<KernelSession> | undefined> = [];
      let finish!: (s: KernelSession) => void;
      const start = entry.beginStart(new Promise((resolve) => (finish = resolve)), () => seen.push(entry.starting));
      assert.equal(entry.starting, start);
      assert.equal(entry.info(entry).state, 'starting');
      const session = new FakeSession();
      finish(session);
      assert.equal(await start, session);
      const failed = entry.beginStart(Promise.reject(new Error('no such kernelspec')), () => seen.push(entry.starting));
      await assert.rejects(failed, /no such kernelspec/);
      assert.deepEqual(seen, [undefined, undefined]);
      assert.equal(entry.info(entry).state, 'not-started', 'the start never handed its session to the entry');
    });
  });

  describe('identity and attachment', () => {
    it('a rename keeps the label unless a new one is given', () => {
      const entry = entryFor();
      entry.renameTo('b.py');
      assert.deepEqual([entry.id, entry.label], ['b.py', 'a.py']);
      entry.renameTo('c.py', 'c.py');
      assert.deepEqual([entry.id, entry.label], ['c.py', 'c.py']);
    });

    it('an attachment follows its root through a rename, ignores other renames, and detaches once', () => {
      const entry = entryFor();
      entry.attachTo('root');
      entry.followRename('other', 'moved');
      assert.equal(entry.attachedTo, 'root');
      entry.followRename('root', 'root2');
      assert.equal(entry.attachedTo, 'root2');
      assert.equal(entry.detach(), true);
      assert.equal(entry.detach(), false);
      assert.equal(entry.attachedTo, undefined);
    });

    it("an attached context reports its root's kernel and its own name and attachment", () => {
      const root = entryFor({ id: 'nb', label: 'nb' });
      root.adopt(new FakeSession('ir'), 'gpu', []);
      const guest = entryFor({ id: 'agent:1', label: 'agent 1' });
      guest.attachTo('nb');
      const info = guest.info(root);
      assert.deepEqual(
        [info.id, info.label, info.kernelName, info.server, info.attachedTo],
        ['agent:1', 'agent 1', 'ir', 'gpu', 'nb'],
      );
    });
  });

  it('a scheduled shutdown fires once, a new schedule replaces the old, and cancelling stops it', () => {
    const timer = new FakeTimer();
    const entry = entryFor();
    const fired: string[] = [];
    entry.scheduleShutdown(timer, 100, () => fired.push('first'));
    entry.scheduleShutdown(timer, 100, () => fired.push('second'));
    timer.advance(100);
    timer.advance(100);
    assert.deepEqual(fired, ['second']);
    entry.scheduleShutdown(timer, 100, () => fired.push('third'));
    entry.cancelScheduledShutdown();
    timer.advance(200);
    assert.deepEqual(fired, ['second']);
    assert.equal(timer.pendingCount, 0);
  });

  it('a pool claim is released once', () => {
    const entry = entryFor();
    let releases = 0;
    entry.holdPoolClaim({ session: Promise.resolve(new FakeSession()), release: () => releases++ });
    entry.releasePoolClaim();
    entry.releasePoolClaim();
    assert.equal(releases, 1);
  });
});
