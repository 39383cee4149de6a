import * as assert from 'node:assert/strict';
import { nullLogger } from '../../../src/common/log';
import { RESTART_KERNEL_CHOICE, isInterruptTimeout, offerRestart } from '../../../src/workbench/restartOffer';
import { InterruptTimeoutError } from '../../../src/kernels/session/interruptWait';

/** A prompt that records what it was shown and answers with `answer`. */
function recorder(answer: string | undefined) {
  const shown: Array<{ message: string; choices: string[] }> = [];
  const prompt = (message: string, ...choices: string[]) => {
    shown.push({ message, choices });
    return Promise.resolve(answer);
  };
  return { shown, prompt };
}

describe('offerRestart (an interrupt the kernel ignored)', () => {
  const err = new InterruptTimeoutError('file:///w/spin.ipynb', 'spin.ipynb', 3);

  it('names the context and the timeout, says what a restart costs, and offers Restart Kernel', async () => {
    const { shown, prompt } = recorder(undefined);
    await offerRestart(err, prompt, () => Promise.resolve(), nullLogger);
    assert.equal(shown.length, 1);
    assert.equal(
      shown[0].message,
      'Kernel Islands: The kernel of spin.ipynb did not stop within 3 s of the interrupt: the running code may ' +
        'ignore Ctrl+C (SIGINT). Restart the kernel to stop it; its variables will be lost.',
    );
    assert.deepEqual(shown[0].choices, [RESTART_KERNEL_CHOICE]);
    assert.equal(RESTART_KERNEL_CHOICE, 'Restart Kernel');
  });

  it('restarts only when the user picks Restart Kernel', async () => {
    let restarts = 0;
    const restart = () => Promise.resolve(restarts++);
    assert.equal(await offerRestart(err, recorder(undefined).prompt, restart, nullLogger), false);
    assert.equal(restarts, 0, 'a dismissed offer restarts nothing');
    assert.equal(await offerRestart(err, recorder(RESTART_KERNEL_CHOICE).prompt, restart, nullLogger), true);
    assert.equal(restarts, 1);
  });

  it('a failed restart is shown, not thrown', async () => {
    const { shown, prompt } = recorder(RESTART_KERNEL_CHOICE);
    const restart = () => Promise.reject(new Error('server gone'));
    assert.equal(await offerRestart(err, prompt, restart, nullLogger), false);
    assert.equal(shown[1]?.message, 'Kernel Islands: the restart failed: server gone');
  });

  it('recognises only the interrupt timeout', () => {
    assert.equal(isInterruptTimeout(err), true);
    assert.equal(isInterruptTimeout(new Error('The kernel of a.py did not stop')), false);
  });
});
