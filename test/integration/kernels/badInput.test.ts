import * as assert from 'node:assert/strict';
import type { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { InterruptTimeoutError } from '../../../src/kernels/session/interruptWait';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import { ContextRegistry as Registry } from '../../../src/kernels/registry/contextRegistry';
import { startTestServer, useTestServer } from '../fixtures/localServer';
import { figure } from './figures';
import { findProcesses } from '../../../src/jupyter/processTree';
import { toDisposable } from '../../../src/common/disposable';
import { KernelStartTimeoutError } from '../../../src/kernels/session/startDeadline';
import { agentSpec, kernelspecFolder, makeRegistry, serverKernelIds, textOf } from './helpers';
import { waitFor } from '../../shared/poll';

/**
 * Bad input, each with a clear message, and a bystander context whose state is checked after each case.
 * Covered elsewhere: an unknown kernelspec and input() cancelled (contextRegistry.test.ts), no Python / no
 * ipykernel (jupyter/pythonFinder.test.ts), the port taken (jupyter/localServerFailures.test.ts), a remote server
 * with a wrong token or unreachable (jupyter/remoteServer.test.ts), 10 MB printed (contextRegistry.test.ts) and
 * 100 MB (test/soak).
 */
describe('Bad input (real server, real kernels)', function () {
  this.timeout(90_000);
  const t = useTestServer();
  let registry: ContextRegistry;
  /**
   * How long an interrupt waits for the kernel to stop: generous, so a slow machine never turns a working interrupt
   * into a timeout; the test of the timeout itself sets 1 s.
   */
  let interruptTimeoutSeconds: number;
  const bystander = agentSpec('agent:bystander');

  beforeEach(async () => {
    interruptTimeoutSeconds = 60;
    const factory = new JupyterSessionFactory(t.server);
    registry = new Registry({ factory, interruptTimeoutSeconds: () => interruptTimeoutSeconds });
    await registry.execute(bystander, 'kept = [1, 2, 3]');
  });
  afterEach(async () => {
    const check = await registry.execute(bystander, 'print(kept)');
    await registry.disposeAsync();
    assert.equal(textOf(check), '[1, 2, 3]\n', 'the bystander context kept its state');
  });

  it('a syntax error is an error result that names the line, and the context keeps working', async () => {
    const spec = agentSpec('agent:syntax');
    await registry.execute(spec, 'y = 5');
    const bad = await registry.execute(spec, 'def f(:\n    pass');
    assert.equal(bad.status, 'error');
    assert.equal(bad.error?.ename, 'SyntaxError');
    assert.match(bad.error?.traceback.join('\n') ?? '', /line 1/);
    assert.equal(textOf(await registry.execute(spec, 'print(y)')), '5\n');
  });

  it('an infinite loop is interrupted with KeyboardInterrupt and the context keeps its state', async () => {
    const spec = agentSpec('agent:loop');
    await registry.execute(spec, 'y = 7');
    let looping = false;
    const run = registry.execute(spec, 'print("looping", flush=True)\nwhile True:\n    pass', {
      onOutput: () => (looping = true),
    });
    await waitFor('the kernel to print that it is in the loop', () => looping, 60_000);
    const asked = performance.now();
    await registry.interrupt(spec.id);
    const acknowledged = performance.now() - asked;
    const result = await run;
    const ended = performance.now() - asked;
    figure('interrupt of `while True: pass`: interrupt() resolved', `${acknowledged.toFixed(0)} ms`);
    figure('interrupt of `while True: pass`: run ended with KeyboardInterrupt', `${ended.toFixed(0)} ms`);
    assert.equal(result.error?.ename, 'KeyboardInterrupt');
    assert.equal(textOf(await registry.execute(spec, 'print(y)')), '7\n');
  });

  it('code that ignores SIGINT: interrupt fails after the timeout with a restart hint, and a restart stops it', async () => {
    const spec = agentSpec('agent:stubborn');
    interruptTimeoutSeconds = 1;
    // The kernel's own loop (the code under test ignores SIGINT), not a wait of the test's.
    const code =
      'import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nprint("ignoring", flush=True)\n' +
      'while True:\n    time.sleep(0.05)';
    let ignoring = false;
    const run = registry.execute(spec, code, { onOutput: () => (ignoring = true) });
    await waitFor('the kernel to print that it ignores SIGINT', () => ignoring, 60_000);
    const asked = performance.now();
    const err = await registry.interrupt(spec.id).then(
      () => undefined,
      (e: unknown) => e,
    );
    figure('SIGINT ignored: interrupt gave up after', `${(performance.now() - asked).toFixed(0)} ms (timeout 1 s)`);
    assert.ok(err instanceof InterruptTimeoutError, `got ${String(err)}`);
    assert.equal(err.contextId, spec.id);
    assert.match(err.message, /did not stop within 1 s.*ignore Ctrl\+C \(SIGINT\)\. Restart the kernel/);
    assert.equal(registry.get(spec.id)?.state, 'busy');
    await registry.restart(spec.id);
    const ended = await run;
    assert.deepEqual([ended.status, ended.error?.evalue], ['aborted', 'aborted: kernel restarted']);
    assert.equal(textOf(await registry.execute(spec, 'print("back")')), 'back\n');
  });

  it('bytes that are not UTF-8 on stdout: replacement characters or a clear error, never a broken kernel', async () => {
    const spec = agentSpec('agent:bytes');
    // ipykernel's sys.stdout is text-only: the kernel's own error says so.
    const buffer = await registry.execute(spec, 'import sys\nsys.stdout.buffer.write(b"\\xff\\xfe")');
    assert.deepEqual(
      [buffer.error?.ename, buffer.error?.evalue],
      ['AttributeError', "'OutStream' object has no attribute 'buffer'"],
    );
    // Undecodable bytes smuggled into a str (lone surrogates) reach us as U+FFFD.
    const escaped = await registry.execute(spec, 'print(b"e\\xff\\xfe".decode("utf-8", "surrogateescape"))');
    assert.equal(textOf(escaped), 'e\ufffd\ufffd\n');
    // Raw bytes on file descriptor 1 go to the kernel process's stdout (the server log), not into a message.
    const raw = await registry.execute(spec, 'import os\nn = os.write(1, b"a\\xff\\xfeb\\n")');
    assert.equal(raw.status, 'ok');
    assert.equal(textOf(await registry.execute(spec, 'print("still here", n)')), 'still here 5\n');
  });

  it('a NUL byte and a 10 MB single line arrive intact', async () => {
    const spec = agentSpec('agent:nul');
    const nul = await registry.execute(spec, 'print("a\\x00b")');
    assert.equal(textOf(nul), 'a\u0000b\n');
    const started = performance.now();
    const line = await registry.execute(spec, 'print("y" * 10_000_000)');
    figure('10 MB single line: run to result', `${(performance.now() - started).toFixed(0)} ms`);
    const text = textOf(line);
    assert.equal(text.length, 10_000_001);
    assert.ok(/^y+\n$/.test(text));
  });
});

describe('A kernel that crashes during start-up (real server)', function () {
  this.timeout(120_000);

  it('fails the start of its context with a clear message; another context on the same server is unaffected', async () => {
    const jupyterPath = kernelspecFolder('crashy', ['/bin/sh', '-c', 'exit 1', '{connection_file}']);
    const t = await startTestServer({ env: { ...process.env, JUPYTER_PATH: jupyterPath } });
    const { registry } = makeRegistry(t.server);
    try {
      await registry.execute(agentSpec('agent:fine'), 'z = 3');
      const started = performance.now();
      const err = await registry
        .execute({ id: 'agent:crashy', kind: 'agent', label: 'crashy', kernelName: 'crashy' }, '1')
        .then(
          (r) => new Error(`ran: ${JSON.stringify(r)}`),
          (e: unknown) => e as Error,
        );
      figure('kernel crashing at start-up: time to the error', `${(performance.now() - started).toFixed(0)} ms`);
      figure('kernel crashing at start-up: message', JSON.stringify(err.message));
      assert.match(
        err.message,
        /Kernel crashy died while starting: .*Run its command in a terminal to see why: \/bin\/sh -c exit 1 \{connection_file\}\./,
      );
      assert.equal(registry.get('agent:crashy')?.state === 'idle', false);
      assert.equal(textOf(await registry.execute(agentSpec('agent:fine'), 'print(z)')), '3\n');
    } finally {
      await registry.disposeAsync();
      await t.server.stop();
    }
  });
});

describe('A kernel that never becomes ready (real server)', function () {
  this.timeout(120_000);

  it('fails its start at the deadline and deletes the hung kernel from the server and from ps', async () => {
    // A process that lives but never opens the kernel's ports: the server counts it as started, nothing answers.
    const jupyterPath = kernelspecFolder('hung', [
      '/usr/bin/python3',
      '-c',
      'import time; time.sleep(600)',
      '{connection_file}',
    ]);
    const t = await startTestServer({ env: { ...process.env, JUPYTER_PATH: jupyterPath } });
    const factory = new JupyterSessionFactory(t.server, undefined, {
      ms: 4000,
      timer: { setTimeout: (cb, ms) => toDisposable(clearTimeout.bind(undefined, setTimeout(cb, ms))) },
    });
    try {
      const started = performance.now();
      const err = await factory.start('hung').then(
        () => new Error('the hung kernel became ready'),
        (e: unknown) => e as Error,
      );
      figure('kernel that never becomes ready: time to the error', `${(performance.now() - started).toFixed(0)} ms`);
      assert.ok(err instanceof KernelStartTimeoutError, String(err));
      assert.match(err.message, /did not become ready within 4 s/);
      const connection = await t.server.getServer();
      await waitFor('the hung kernel to leave /api/kernels', async () =>
        (await serverKernelIds(connection)).length === 0 ? true : undefined,
      );
      await waitFor('the hung kernel process to exit', async () =>
        (await hungKernelPids(connection.pid ?? -1)).length === 0 ? true : undefined,
      );
    } finally {
      await t.server.stop();
    }
  });
});

/** Processes under the launcher that run the hung kernelspec's command. */
function hungKernelPids(launcherPid: number): Promise<number[]> {
  return findProcesses((argv) => argv.some((arg) => arg.includes('time.sleep(600)')), launcherPid);
}
