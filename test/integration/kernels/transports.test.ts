import * as assert from 'node:assert/strict';
import { waitForEvent } from '../../../src/common/event';
import { nullLogger } from '../../../src/common/log';
import { chooseFreePort } from '../../../src/jupyter/freePort';
import { fetchConnectionInfo } from '../../../src/kernels/zmq/launcherRoutes';
import { loadZeromq } from '../../../src/kernels/zmq/loadZeromq';
import { makeHeader } from '../../../src/kernels/zmq/wire';
import { ZmqChannels } from '../../../src/kernels/zmq/zmqChannels';
import type { KernelSession } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { restCall } from '../jupyter/rest';
import { isProcessAlive } from '../../../src/jupyter/processTree';
import { findKernelPid } from '../../shared/kernelProcesses';
import { serverKernelIds, textOf } from './helpers';
import { waitFor } from '../../shared/poll';
import { expectTransport, factoryWith, TRANSPORTS } from './transports';

for (const transport of TRANSPORTS) {
  describe(`Kernel transport ${transport}: the KernelSession contract on a real kernel`, function () {
    this.timeout(90_000);
    const t = useTestServer();
    let session: KernelSession;

    beforeEach(async () => {
      session = await factoryWith(t.server, transport, t.logger).start('python3');
      expectTransport(session, transport);
    });
    afterEach(() => session.shutdown());

    it('attributes outputs by msg_id among 12 concurrent executes on one kernel', async () => {
      const runs = Array.from({ length: 12 }, (_, i) =>
        session.execute(`import time\nprint("run-${i}-a")\ntime.sleep(0.01)\nprint("run-${i}-b")\n${i} * 10`),
      );
      const results = await Promise.all(runs);
      results.forEach((r, i) => {
        assert.equal(r.status, 'ok');
        assert.equal(textOf(r), `run-${i}-a\nrun-${i}-b\n${i * 10}`);
      });
      const counts = results.map((r) => r.executionCount);
      assert.deepEqual(
        counts,
        Array.from({ length: 12 }, (_, i) => i + 1),
        'sent and run in call order',
      );
    });

    it('answers input() over stdin', async () => {
      const prompts: string[] = [];
      const result = await session.execute('name = input("Name? ")\nprint("hi", name)', {
        onStdin: async (r) => {
          prompts.push(r.prompt);
          return 'Ada';
        },
      });
      assert.deepEqual([prompts, textOf(result)], [['Name? '], 'hi Ada\n']);
    });

    it('interrupts `while True: pass` with KeyboardInterrupt, and the kernel keeps its state', async () => {
      await session.execute('kept = 41');
      // Interrupt once the loop runs: a SIGINT between the busy status and the user code may be lost in ipykernel.
      let looping!: () => void;
      const inLoop = new Promise<void>((resolve) => (looping = resolve));
      const run = session.execute('print("looping", flush=True)\nwhile True: pass', { onOutput: () => looping() });
      await inLoop;
      await session.interrupt();
      const result = await run;
      assert.deepEqual([result.status, result.error?.ename], ['error', 'KeyboardInterrupt']);
      assert.equal(textOf(await session.execute('kept + 1')), '42');
    });

    it('restart aborts the running and the pending runs, then runs fresh from count 1', async () => {
      await session.execute('x = 1');
      const busy = waitForEvent(session.onDidChangeState, (s) => s === 'busy');
      const running = session.execute('import time\ntime.sleep(30)');
      const pending = session.execute('print("never")');
      await busy;
      const lost = waitForEvent(session.onDidLoseState);
      await session.restart();
      assert.equal((await lost).reason, 'restarted');
      for (const r of await Promise.all([running, pending])) {
        assert.deepEqual([r.status, r.error?.evalue], ['aborted', 'aborted: kernel restarted']);
      }
      const after = await session.execute('x');
      assert.deepEqual([after.error?.ename, after.executionCount], ['NameError', 1]);
    });

    it('kill -9 of the kernel process is reported as died, and the restarted kernel runs', async () => {
      await session.execute('y = 1');
      const pid = await findKernelPid(session.id);
      assert.ok(pid !== undefined, 'the kernel process is found');
      const lost = waitForEvent(session.onDidLoseState);
      process.kill(pid, 'SIGKILL');
      assert.equal((await lost).reason, 'kernel-died');
      assert.ok(['restarting', 'reconnecting'].includes(session.state), `state ${session.state}`);
      await waitFor('the kernel back to idle', () => (session.state === 'idle' ? true : undefined), 30_000);
      const after = await session.execute('y');
      assert.equal(after.error?.ename, 'NameError');
      assert.equal(await isProcessAlive(pid), false);
    });

    it('shutdown leaves no kernel on /api/kernels and no kernel process', async () => {
      const pid = await findKernelPid(session.id);
      assert.ok(pid !== undefined, 'the kernel process is found');
      await session.shutdown();
      assert.equal(session.state, 'shutdown');
      assert.ok(!(await serverKernelIds(t.connection)).includes(session.id));
      await waitFor('the kernel process to exit', async () => ((await isProcessAlive(pid)) ? undefined : true));
    });

    it('output that is not valid UTF-8 arrives with replacement characters; the kernel goes on', async () => {
      const code = 'import sys\n_ = sys.stdout.write("a" + b"\\xff\\xfe".decode("utf-8", "surrogateescape") + "b\\n")';
      const result = await session.execute(code);
      assert.equal(result.status, 'ok');
      assert.equal(textOf(result), 'a\ufffd\ufffdb\n');
      assert.equal(textOf(await session.execute('1 + 1')), '2');
    });

    it('10 MB of printed output arrives intact, as one stream output', async () => {
      const code = 'import sys\nfor i in range(100000):\n    sys.stdout.write("%09d" % i + "x" * 90 + "\\n")';
      const result = await session.execute(code);
      assert.equal(result.status, 'ok');
      assert.equal(result.outputs.length, 1);
      const text = String(result.outputs[0].text);
      assert.equal(Buffer.byteLength(text), 10_000_000);
      const lines = text.split('\n');
      assert.equal(lines[54321], `000054321${'x'.repeat(90)}`);
      assert.ok(text.endsWith(`000099999${'x'.repeat(90)}\n`));
    });
  });
}

describe('Launcher routes for the ZMQ transport', function () {
  this.timeout(60_000);
  const t = useTestServer();

  it('hand out connection info and events only with the token, and never log the key', async () => {
    const session = await factoryWith(t.server, 'zmq', t.logger).start('python3');
    try {
      for (const route of ['connection', 'events']) {
        const path = `ki/kernels/${session.id}/${route}`;
        assert.equal((await restCall(t.connection, path, { token: null })).status, 403);
        assert.equal((await restCall(t.connection, path, { token: 'x'.repeat(48) })).status, 403);
      }
      const { status, body } = await restCall(t.connection, `ki/kernels/${session.id}/connection`);
      assert.equal(status, 200);
      const key = (body as { key: string }).key;
      assert.ok(key.length >= 32);
      assert.equal((await restCall(t.connection, 'ki/kernels/no-such-kernel/connection')).status, 404);
      assert.ok(!t.logger.lines.some((line) => line.includes(key)), 'the key is not in the log');
    } finally {
      await session.shutdown();
    }
  });

  it('channels left on stale ports (a kernel restarted on new ports) reach the kernel after retarget', async () => {
    const session = await factoryWith(t.server, 'zmq').start('python3');
    const loaded = loadZeromq();
    assert.ok(loaded.ok);
    const endpoint = { baseUrl: t.connection.settings.baseUrl, token: t.connection.settings.token };
    const info = await fetchConnectionInfo(endpoint, session.id);
    const [shell, stdin, iopub] = [await chooseFreePort(), await chooseFreePort(), await chooseFreePort()];
    const channels = new ZmqChannels(
      loaded.zeromq,
      { ...info, shell_port: shell, stdin_port: stdin, iopub_port: iopub },
      nullLogger,
    );
    try {
      assert.equal(channels.retarget(info), true);
      assert.equal(channels.retarget(info), false, 'the same ports again change nothing');
      const reply = await channels.request(makeHeader('kernel_info_request', channels.session), {});
      assert.equal(reply.header.msg_type, 'kernel_info_reply');
      assert.equal((reply.content as { status: string }).status, 'ok');
    } finally {
      channels.close();
      await session.shutdown();
    }
  });
});
