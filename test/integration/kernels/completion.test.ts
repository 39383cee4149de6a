import * as assert from 'node:assert/strict';
import type { KernelSession } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { textOf } from './helpers';
import { expectTransport, factoryWith, TRANSPORTS } from './transports';

for (const transport of TRANSPORTS) {
  describe(`complete_request over ${transport} on a real kernel`, function () {
    this.timeout(90_000);
    const t = useTestServer();
    let session: KernelSession;

    before(async () => {
      session = await factoryWith(t.server, transport, t.logger).start('python3');
      expectTransport(session, transport);
      await session.execute('alpha_value = 1\nalphabet = [1, 2]');
    });
    after(() => session.shutdown());

    it("completes the kernel's own names, replacing the word before the cursor", async () => {
      const code = 'x = alph';
      const result = await session.complete(code, code.length);
      assert.deepEqual([...result.matches].sort(), ['alpha_value', 'alphabet']);
      assert.deepEqual([result.start, result.end], [4, 8]);
    });

    it('completes attributes of live objects', async () => {
      const code = 'alphabet.app';
      const result = await session.complete(code, code.length);
      const applied = result.matches.map((m) => code.slice(0, result.start) + m + code.slice(result.end));
      assert.ok(applied.includes('alphabet.append'), applied.join(', '));
    });

    it('counts the cursor in code points: an emoji before it does not shift the range', async () => {
      const code = 's = "😀😀"; alph';
      const result = await session.complete(code, code.length);
      assert.deepEqual(result.matches.map((m) => code.slice(0, result.start) + m + code.slice(result.end)).sort(), [
        's = "😀😀"; alpha_value',
        's = "😀😀"; alphabet',
      ]);
    });

    it('is no run: the execution count and the history stay as they were', async () => {
      const before = await session.execute('len(get_ipython().history_manager.input_hist_raw)');
      const count = before.executionCount;
      await session.complete('alph', 4);
      await session.complete('import o', 8);
      const after = await session.execute('len(get_ipython().history_manager.input_hist_raw)');
      assert.equal(after.executionCount, (count ?? 0) + 1);
      assert.equal(Number(textOf(after)), Number(textOf(before)) + 1, 'only the second count run entered the history');
    });
  });
}
