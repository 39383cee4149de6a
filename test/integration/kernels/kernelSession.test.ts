import * as assert from 'node:assert/strict';
import { waitForEvent } from '../../../src/common/event';
import type { KernelSession, KernelState, OutputEvent } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { restCall } from '../jupyter/rest';
import { textOf } from './helpers';
import { expectTransport, factoryWith, TRANSPORTS } from './transports';

for (const transport of TRANSPORTS)
  describe(`KernelSession over ${transport} (real server, real kernel)`, function () {
    this.timeout(60_000);
    const t = useTestServer();
    let session: KernelSession;

    beforeEach(async () => {
      session = await factoryWith(t.server, transport).start('python3');
      expectTransport(session, transport);
    });
    afterEach(() => session.shutdown());

    it('silent runs do not count; normal runs do', async () => {
      assert.equal((await session.execute('a = 1')).executionCount, 1);
      const silent = await session.execute('b = 2', { silent: true });
      assert.deepEqual([silent.status, silent.executionCount], ['ok', null]);
      const next = await session.execute('a + b');
      assert.deepEqual([next.executionCount, textOf(next), session.executionCount], [2, '3', 2]);
    });

    it('applies clear_output(wait=True) and display updates to the result', async () => {
      const code = [
        'from IPython.display import display, clear_output',
        'print("old")',
        'clear_output(wait=True)',
        'h = display("first", display_id=True)',
        'h.update("second")',
      ].join('\n');
      const result = await session.execute(code);
      assert.equal(result.outputs.length, 1);
      assert.deepEqual(result.outputs[0].data, { 'text/plain': "'second'" });
    });

    it('hands a later run the update of a display made by an earlier run', async () => {
      await session.execute('from IPython.display import display\nh = display("a", display_id="box")');
      const events: OutputEvent[] = [];
      const result = await session.execute('h.update("b")', { onOutput: (e) => events.push(e) });
      assert.equal(result.outputs.length, 0);
      assert.equal(events.length, 1);
      const [update] = events;
      assert.equal(update.kind, 'update');
      assert.equal(update.kind === 'update' && update.displayId, 'box');
      assert.deepEqual(update.kind === 'update' && update.output.data, { 'text/plain': "'b'" });
    });

    it('a kernel that dies mid-run ends the run as aborted, reports state lost, and is usable after the auto-restart', async () => {
      await session.execute('x = 1');
      const lost = waitForEvent(session.onDidLoseState);
      const result = await session.execute('import os, signal\nos.kill(os.getpid(), signal.SIGKILL)');
      assert.equal(result.status, 'aborted');
      assert.equal(result.error?.evalue, 'aborted: kernel died');
      assert.deepEqual(await lost, {
        reason: 'kernel-died',
        message: 'The kernel died and the server restarted it: its variables and imports are lost.',
      });
      const after = await session.execute('x');
      assert.equal(after.error?.ename, 'NameError');
      assert.equal(after.executionCount, 1);
    });

    it('a kernel shut down by someone else is reported dead with its state lost', async () => {
      const lost = waitForEvent(session.onDidLoseState);
      const { status } = await restCall(t.connection, `api/kernels/${session.id}`, { method: 'DELETE' });
      assert.equal(status, 204);
      assert.deepEqual(await lost, {
        reason: 'kernel-died',
        message: 'The kernel was shut down on the server: its state is lost.',
      });
      assert.equal(session.state, 'dead');
      const late = await session.execute('1');
      assert.deepEqual([late.status, late.error?.evalue], ['aborted', 'aborted: the kernel is dead']);
    });

    it('reports busy and idle, and shutdown/dispose are safe twice', async () => {
      const states: KernelState[] = [];
      session.onDidChangeState((s) => states.push(s));
      let busy = false;
      const idle = waitForEvent(session.onDidChangeState, (s) => (busy ||= s === 'busy') && s === 'idle');
      await session.execute('1');
      // The idle status may land just after the reply.
      await idle;
      // Under load the idle that ends the kernel's start-up (kernel_info) can land after the subscription; the
      // run's own pair starts at its busy.
      const run = states.indexOf('busy');
      assert.ok(run >= 0, `no busy in ${states.join(' ')}`);
      assert.deepEqual(states.slice(run, run + 2), ['busy', 'idle']);
      await Promise.all([session.shutdown(), session.shutdown()]);
      session.dispose();
      session.dispose();
      assert.equal(session.state, 'shutdown');
      assert.equal(states[states.length - 1], 'shutdown');
      const late = await session.execute('1');
      assert.deepEqual([late.status, late.error?.evalue], ['aborted', 'aborted: the kernel is shut down']);
      await assert.rejects(session.interrupt(), /is shut down/);
    });
  });
