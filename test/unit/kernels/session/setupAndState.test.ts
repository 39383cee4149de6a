import * as assert from 'node:assert/strict';
import { toKernelState } from '../../../../src/kernels/session/kernelState';
import { setupCode } from '../../../../src/kernels/session/setupCode';

/**
 * The first line of every Python set-up: it lifts ipykernel's iopub send limit (SNDHWM 0) on the kernel's own
 * iopub thread. Written out here, not taken from `setupCode`, so a change to the line fails this test.
 */
const IOPUB =
  "(lambda t: t and t.schedule(lambda: t.socket.setsockopt(__import__('zmq').SNDHWM, 0)))(getattr(getattr(" +
  "getattr(__import__('sys').modules.get('IPython'), 'get_ipython', lambda: None)(), 'kernel', None), " +
  "'iopub_thread', None))";

describe('setupCode', () => {
  const table = [
    {
      language: 'python',
      target: { cwd: '/w', file: '/w/a.py' },
      expected: `${IOPUB}\n__import__('os').chdir("/w")\nglobals().__setitem__('__file__', "/w/a.py")`,
    },
    { language: 'python', target: { cwd: '/w' }, expected: `${IOPUB}\n__import__('os').chdir("/w")` },
    { language: 'python', target: {}, expected: IOPUB },
    { language: 'R', target: { cwd: '/w', file: '/w/a.R' }, expected: 'invisible(setwd("/w"))' },
    { language: 'julia', target: { cwd: '/w', file: '/w/a.jl' }, expected: 'cd("/w")' },
    { language: 'julia', target: {}, expected: undefined },
    // `$` interpolates in a Julia string: it is escaped, as are quotes, backslashes and newlines.
    { language: 'julia', target: { cwd: '/w/$HOME "q"\\\n' }, expected: 'cd("/w/\\$HOME \\"q\\"\\\\\\n")' },
    // Quotes, backslashes and newlines in paths must not end the string literal early.
    {
      language: 'python',
      target: { cwd: 'C:\\a "b"\n' },
      expected: `${IOPUB}\n__import__('os').chdir("C:\\\\a \\"b\\"\\n")`,
    },
  ];
  for (const { language, target, expected } of table) {
    it(`${language} ${JSON.stringify(target)}`, () => {
      assert.equal(setupCode(language, target), expected);
    });
  }
});

describe('toKernelState', () => {
  const table = [
    ['idle', 'connected', 'idle'],
    ['busy', 'connected', 'busy'],
    ['unknown', 'connecting', 'reconnecting'],
    ['idle', 'connecting', 'reconnecting'],
    ['restarting', 'connecting', 'restarting'],
    ['autorestarting', 'connected', 'restarting'],
    ['dead', 'connected', 'dead'],
    ['idle', 'disconnected', 'dead'],
    ['starting', 'connected', 'starting'],
  ] as const;
  for (const [status, connection, expected] of table) {
    it(`${status} + ${connection} → ${expected}`, () => {
      assert.equal(toKernelState(status, connection), expected);
    });
  }
});
