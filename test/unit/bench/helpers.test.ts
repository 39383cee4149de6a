import * as assert from 'node:assert/strict';
import { oneAtATime } from '../../../bench/p3Scale';
import { floodCode } from '../../../bench/p4Flood';
import { BenchTimeoutError, mapLimit, withDeadline } from '../../../bench/stats';

describe('bench helpers', () => {
  it('oneAtATime runs one request per context at a time, in call order, and contexts side by side', async () => {
    const log: string[] = [];
    const release: Array<() => void> = [];
    const run = oneAtATime(
      (i, code) =>
        new Promise<string>((resolve) => {
          log.push(`start ${i}:${code}`);
          release.push(() => resolve(code));
        }),
    );
    const done = [run(0, 'a'), run(0, 'b'), run(1, 'x')];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start 0:a', 'start 1:x'], 'b waits for a; context 1 does not wait for context 0');
    release.shift()?.();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['start 0:a', 'start 1:x', 'start 0:b']);
    release.splice(0).forEach((r) => r());
    assert.deepEqual(await Promise.all(done), ['a', 'b', 'x']);
  });

  it('the flood cell prints exactly the requested bytes, flushing when asked', () => {
    const burst = floodCode(1000);
    assert.match(burst, /for i in range\(10\):/);
    assert.doesNotMatch(burst, /flush/);
    assert.match(floodCode(1000, 5), /if i % 5 == 4:\n {8}sys\.stdout\.flush\(\)/);
  });

  it('withDeadline names the step that hung, and passes results and errors through', async () => {
    await assert.rejects(withDeadline(new Promise(() => undefined), 5, 'POST /api/kernels'), (err: Error) => {
      assert.ok(err instanceof BenchTimeoutError);
      assert.match(err.message, /POST \/api\/kernels did not finish within 0.005 s/);
      return true;
    });
    assert.equal(await withDeadline(Promise.resolve(7), 1000, 'x'), 7);
    await assert.rejects(withDeadline(Promise.reject(new Error('boom')), 1000, 'x'), /boom/);
  });

  it('mapLimit keeps at most `limit` calls in flight and the results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      for (let i = 0; i < n; i++) {
        await Promise.resolve();
      }
      inFlight--;
      return n * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30]);
    assert.equal(peak, 2);
  });
});
