import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/log';
import { InterruptTimeoutError } from '../../../src/kernels/session/interruptWait';
import { errorReporter } from '../../../src/workbench/reportError';
import { vscodeDouble } from '../withVscodeDouble';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const REPORT_ERROR = 'src/workbench/reportError.ts';

function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, info: () => undefined, warn: () => undefined, error: (m) => errors.push(String(m)) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the one error path (workbench/reportError)', () => {
  it('shows the failure with Show Log and Open Settings, and logs it', async () => {
    const log = recordingLog();
    let logShown = 0;
    vscodeDouble.answer = 'Show Log';
    errorReporter(log, () => logShown++)(new Error('listing kernelspecs failed: server gone'));
    await settle();
    assert.deepEqual(vscodeDouble.messages, [
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
    assert.equal(vscodeDouble.messages[0].message, 'Kernel Islands: server gone');
    assert.deepEqual(log.errors, ['kernelIslands.runCell failed:', 'Error: server gone']);
  });

  it('Open Settings opens the extension settings', async () => {
    vscodeDouble.answer = 'Open Settings';
    errorReporter(recordingLog(), () => undefined)('plain text failure');
    await settle();
    assert.equal(vscodeDouble.messages[0].message, 'Kernel Islands: plain text failure');
    assert.deepEqual(vscodeDouble.executed, [['workbench.action.openSettings', 'kernelIslands']]);
  });

  it('an ignored interrupt gets the Restart Kernel offer instead of an error', async () => {
    errorReporter(recordingLog(), () => undefined)(new InterruptTimeoutError('file:///w/spin.py', 'spin.py', 3));
    await settle();
    assert.equal(vscodeDouble.messages.length, 1);
    assert.equal(vscodeDouble.messages[0].kind, 'warning');
    assert.deepEqual(vscodeDouble.messages[0].choices, ['Restart Kernel']);
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
