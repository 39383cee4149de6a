import * as assert from 'node:assert/strict';
import { waitFor } from '../../shared/poll';

describe('the tests’ poll loop (test/shared/poll)', () => {
  it('resolves with the first value that is neither undefined nor false, true for a plain condition', async () => {
    let calls = 0;
    assert.equal(await waitFor('a value', () => (++calls < 3 ? undefined : 0), 1_000, 1), 0);
    assert.equal(calls, 3);
    let n = 0;
    assert.equal(await waitFor('a condition', () => ++n >= 2, 1_000, 1), true);
    assert.equal(await waitFor('an async value', async () => 'x', 1_000, 1), 'x');
  });

  it('rejects naming what it waited for after the timeout', async () => {
    await assert.rejects(
      waitFor('the moon', () => false, 30, 5),
      /timed out after 30 ms waiting for the moon/,
    );
  });
});
