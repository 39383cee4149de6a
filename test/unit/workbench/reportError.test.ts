import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/log';
import { InterruptTimeoutError } from '../../../src/kernels/session/interruptWait';
import { requireWithVscodeStub } from '../withVscodeStub';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const REPORT_ERROR = 'src/workbench/reportError.ts';

/** What the stub's message functions were asked to show, and what the user answers. */
const shown: Array<{ kind: 'error' | 'warning'; message: string; choices: string[] }> = [];
const executed: unknown[][] = [];
let answer: string | undefined;

const vscodeStub = {
  window: {
    showErrorMessage: (message: string, ...choices: string[]) => {
      shown.push({ kind: 'error', message, choices });
      return Promise.resolve(answer);
    },
    showWarningMessage: (message: string, ...choices: string[]) => {
      shown.push({ kind: 'warning', message, choices });
      return Promise.resolve(undefined);
    },
  },
  commands: {
    executeCommand: (...args: unknown[]) => {
      executed.push(args);
      return Promise.resolve();
    },
  },
};

const { errorReporter } = requireWithVscodeStub<typeof import('../../../src/workbench/reportError')>(
  require.resolve('../../../src/workbench/reportError'),
  vscodeStub,
);

function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => undefined, warn: () => undefined, error: (m) => errors.push(String(m)) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the one error path (workbench/reportError)', () => {
  beforeEach(() => {
    shown.length = 0;
    executed.length = 0;
    answer = undefined;
  });

  it('shows the failure with Show Log and Open Settings, and logs it', async () => {
    const log = recordingLog();
    let logShown = 0;
    answer = 'Show Log';
    errorReporter(log, () => logShown++)(new Error('listing kernelspecs failed: server gone'));
    await settle();
    assert.deepEqual(shown, [
      {
        kind: 'error',
        message: 'Kernel Islands: listing kernelspecs failed: server gone',
        choices: ['Show Log', 'Open Settings'],
      },
    ]);
    assert.equal(logShown, 1);
    assert.deepEqual(log.errors, ['Error: listing kernelspecs failed: server gone']);
  });

  it("a command's failure is logged under the command's id; the message stays the same", async () => {
    const log = recordingLog();
    errorReporter(log, () => undefined)(new Error('server gone'), 'kernelIslands.runCell');
    await settle();
    assert.equal(shown[0].message, 'Kernel Islands: server gone');
    assert.deepEqual(log.errors, ['kernelIslands.runCell failed:', 'Error: server gone']);
  });

  it('Open Settings opens the extension settings', async () => {
    answer = 'Open Settings';
    errorReporter(recordingLog(), () => undefined)('plain text failure');
    await settle();
    assert.equal(shown[0].message, 'Kernel Islands: plain text failure');
    assert.deepEqual(executed, [['workbench.action.openSettings', 'kernelIslands']]);
  });

  it('an ignored interrupt gets the Restart Kernel offer instead of an error', async () => {
    errorReporter(recordingLog(), () => undefined)(new InterruptTimeoutError('file:///w/spin.py', 'spin.py', 3));
    await settle();
    assert.equal(shown.length, 1);
    assert.equal(shown[0].kind, 'warning');
    assert.deepEqual(shown[0].choices, ['Restart Kernel']);
  });

  it('no other file under src/ calls showErrorMessage', () => {
    const files = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
      );
    const callers = files('src').filter(
      (f) => /\.tsx?$/.test(f) && readFileSync(path.join(ROOT, f), 'utf8').includes('showErrorMessage'),
    );
    assert.deepEqual(callers, [REPORT_ERROR]);
  });
});
