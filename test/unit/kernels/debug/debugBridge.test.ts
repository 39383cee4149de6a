import * as assert from 'node:assert/strict';
import { KernelDebugBridge } from '../../../../src/kernels/debug/debugBridge';
import type { DapMessage, DapRequest, DapResponse } from '../../../../src/kernels/debug/dapMessages';
import { DebuggerUnavailableError, KernelDebugger } from '../../../../src/kernels/debug/kernelDebugger';
import type { ExecutionResult } from '../../../../src/kernels/types';
import { waitFor } from '../../../shared/poll';
import { FakeSession, okResult } from '../fakes';
import { FakeTimer } from '../../fakeTimer';

const USER = '/work/project/analysis.py';
const DUMPED = '/tmp/ipykernel_7/99.py';
const HELPERS = '/work/project/helpers.py';

/** A fake ipykernel debugger: answers like ipykernel 6 with debugpy, echoing breakpoints as verified. */
function debuggableSession(): FakeSession {
  const session = new FakeSession();
  session.debugReply = (req: DapRequest): DapResponse => {
    const reply = (body?: Record<string, unknown>): DapResponse => ({
      seq: 0,
      type: 'response',
      request_seq: req.seq,
      success: true,
      command: req.command,
      body,
    });
    const args = req.arguments ?? {};
    switch (req.command) {
      case 'debugInfo':
        return reply({ isStarted: false, tmpFilePrefix: '/tmp/ipykernel_7/' });
      case 'initialize':
        return reply({ supportsEvaluateForHovers: true });
      case 'dumpCell':
        return reply({ sourcePath: DUMPED });
      case 'setBreakpoints':
        return reply({
          breakpoints: (args.breakpoints as Array<{ line: number }>).map((b) => ({ verified: true, line: b.line })),
        });
      case 'stackTrace':
        return reply({
          stackFrames: [
            { id: 1, name: 'helper', line: 4, source: { path: HELPERS, name: 'helpers.py' } },
            { id: 2, name: '<module>', line: 2, source: { path: DUMPED, name: '99.py' } },
          ],
        });
      default:
        return reply({});
    }
  };
  return session;
}

function bridgeFor(session: FakeSession) {
  const runs: string[] = [];
  let interrupts = 0;
  let detachedBeforeInterrupt = false;
  let finishRun: (r: ExecutionResult) => void = () => undefined;
  const bridge = new KernelDebugBridge(
    {
      session: async () => session,
      run: (code) => {
        runs.push(code);
        return new Promise((resolve) => (finishRun = resolve));
      },
      interrupt: async () => {
        interrupts++;
        detachedBeforeInterrupt ||= session.debugRequests.some((r) => r.command === 'disconnect');
      },
    },
    { path: USER, firstLine: 10, code: 'a = 1\nb = helper(a)\nc = 3' },
  );
  const sent: DapMessage[] = [];
  bridge.onDidSendMessage((m) => sent.push(m));
  let seq = 100;
  const send = async (command: string, args: Record<string, unknown> = {}): Promise<DapResponse> => {
    const mySeq = ++seq;
    bridge.handleMessage({ seq: mySeq, type: 'request', command, arguments: args });
    return waitFor(`the response to ${command}`, () =>
      sent.find((m): m is DapResponse => m.type === 'response' && m.request_seq === mySeq),
    );
  };
  const events = (): string[] => sent.filter((m) => m.type === 'event').map((m) => (m as { event: string }).event);
  return {
    bridge,
    send,
    runs,
    sent,
    events,
    interrupts: () => interrupts,
    detachedBeforeInterrupt: () => detachedBeforeInterrupt,
    finishRun: (r: ExecutionResult) => finishRun(r),
  };
}

describe('KernelDebugBridge (DAP ↔ the kernel’s debugger, with a fake kernel)', () => {
  it('starts the kernel debugger on initialize: probe, initialize, attach, dump; then sends initialized', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    const reply = await b.send('initialize');
    assert.equal(reply.success, true);
    assert.equal(reply.body?.supportsConfigurationDoneRequest, true);
    assert.equal(reply.body?.supportsEvaluateForHovers, true, 'the kernel debugger’s capabilities are passed on');
    assert.deepEqual(
      session.debugRequests.map((r) => r.command),
      ['debugInfo', 'initialize', 'attach', 'dumpCell'],
    );
    assert.equal(session.debugRequests[3].arguments?.code, 'a = 1\nb = helper(a)\nc = 3');
    await waitFor('the initialized event', () => b.events().includes('initialized'));
  });

  it('sends the user’s breakpoints for the dumped copy at its lines, and answers at the user’s lines', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    await b.send('initialize');
    const reply = await b.send('setBreakpoints', {
      source: { path: USER },
      breakpoints: [{ line: 3 }, { line: 11 }],
    });
    const sentToKernel = session.debugRequests.at(-1)!;
    assert.deepEqual(sentToKernel.arguments?.source, { path: DUMPED });
    assert.deepEqual(sentToKernel.arguments?.breakpoints, [{ line: 2 }]);
    const bps = reply.body?.breakpoints as Array<{ verified: boolean; line: number; source: { path: string } }>;
    assert.deepEqual(
      bps.map((bp) => [bp.verified, bp.line, bp.source.path]),
      [
        [false, 3, USER],
        [true, 11, USER],
      ],
    );
  });

  it('passes breakpoints in other files (imported modules) through unchanged', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    await b.send('initialize');
    await b.send('setBreakpoints', { source: { path: HELPERS }, breakpoints: [{ line: 4 }] });
    assert.deepEqual(session.debugRequests.at(-1)!.arguments?.source, { path: HELPERS });
    assert.deepEqual(session.debugRequests.at(-1)!.arguments?.breakpoints, [{ line: 4 }]);
  });

  it('shows stack frames in the dumped copy at the user’s file and line; others as they are', async () => {
    const b = bridgeFor(debuggableSession());
    await b.send('initialize');
    const reply = await b.send('stackTrace', { threadId: 1 });
    const frames = reply.body?.stackFrames as Array<{ line: number; source: { path: string; name: string } }>;
    assert.deepEqual(
      frames.map((f) => [f.source.path, f.source.name, f.line]),
      [
        [HELPERS, 'helpers.py', 4],
        [USER, 'analysis.py', 11],
      ],
    );
  });

  it('forwards the kernel’s events (sources mapped) but not its own initialized/terminated', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    await b.send('initialize');
    await waitFor('initialized', () => b.events().includes('initialized'));
    session.debugEvents.fire({ seq: 1, type: 'event', event: 'initialized' });
    session.debugEvents.fire({ seq: 2, type: 'event', event: 'stopped', body: { threadId: 1, reason: 'breakpoint' } });
    session.debugEvents.fire({
      seq: 3,
      type: 'event',
      event: 'output',
      body: { output: 'x', source: { path: DUMPED }, line: 3 },
    });
    assert.deepEqual(b.events(), ['initialized', 'stopped', 'output']);
    const output = b.sent.at(-1) as unknown as { body: { source: { path: string }; line: number } };
    assert.deepEqual([output.body.source.path, output.body.line], [USER, 12]);
  });

  it('runs the code once on configurationDone; the run’s end detaches and ends the session', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    const ended: unknown[] = [];
    b.bridge.onDidEnd((e) => ended.push(e));
    await b.send('initialize');
    await b.send('configurationDone');
    assert.deepEqual(b.runs, ['a = 1\nb = helper(a)\nc = 3']);
    const result = okResult(3, 'done');
    b.finishRun(result);
    await waitFor('terminated', () => b.events().includes('terminated'));
    assert.equal(session.debugRequests.at(-1)!.command, 'disconnect');
    assert.deepEqual(session.debugRequests.at(-1)!.arguments, { restart: false, terminateDebuggee: false });
    assert.deepEqual(ended, [result]);
    // The editor's disconnect after `terminated` is answered without a second one to the kernel.
    const count = session.debugRequests.length;
    assert.equal((await b.send('disconnect')).success, true);
    assert.equal(session.debugRequests.length, count);
    assert.equal(b.interrupts(), 0, 'a finished run is not interrupted');
  });

  it('Stop while the run goes interrupts it (while it is still this run), then detaches', async () => {
    const session = debuggableSession();
    const b = bridgeFor(session);
    await b.send('initialize');
    await b.send('configurationDone');
    await b.send('disconnect', { restart: false });
    assert.equal(session.debugRequests.at(-1)!.command, 'disconnect');
    assert.equal(b.interrupts(), 1);
    assert.equal(b.detachedBeforeInterrupt(), false, 'the run is interrupted while the debugger still holds it');
  });

  it('answers requests after the session ended with a failure, not a hang', async () => {
    const b = bridgeFor(debuggableSession());
    await b.send('initialize');
    await b.send('disconnect');
    const reply = await b.send('threads');
    assert.equal(reply.success, false);
    assert.match(reply.message ?? '', /debug session has ended/);
  });
});

describe('KernelDebugger.open (can this kernel debug?)', () => {
  it('refuses a kernel that is not Python at once, asking it nothing', async () => {
    const session = debuggableSession();
    Object.assign(session, { language: 'R', kernelName: 'ir' });
    await assert.rejects(KernelDebugger.open(session), (err: Error) => {
      assert.ok(err instanceof DebuggerUnavailableError);
      assert.match(err.message, /Kernel ir \(R\) has no debugger/);
      return true;
    });
    assert.equal(session.debugRequests.length, 0);
  });

  it('refuses a Python kernel whose debugger answers nothing (no debugpy) with the install command', async () => {
    const session = new FakeSession(); // answers debug requests with null, as ipykernel 6 without debugpy does
    await assert.rejects(KernelDebugger.open(session), /cannot debug: .* -m pip install debugpy "ipykernel>=6"/);
  });

  it('refuses a kernel that never answers the probe (ipykernel < 6) once the probe time is up', async () => {
    const session = new FakeSession();
    session.debugRequest = (req) => {
      session.debugRequests.push(req);
      return new Promise(() => undefined);
    };
    const timer = new FakeTimer();
    const opening = KernelDebugger.open(session, timer, 5000);
    await waitFor('the probe', () => session.debugRequests.length === 1);
    timer.advance(5000);
    await assert.rejects(opening, DebuggerUnavailableError);
  });

  it('refuses a kernel that is already being debugged', async () => {
    const session = debuggableSession();
    const answer = session.debugReply;
    session.debugReply = (req) => {
      const reply = answer(req)!;
      return req.command === 'debugInfo' ? { ...reply, body: { ...reply.body, isStarted: true } } : reply;
    };
    await assert.rejects(KernelDebugger.open(session), /already being debugged/);
  });
});
