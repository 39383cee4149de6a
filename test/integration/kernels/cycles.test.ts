import * as assert from 'node:assert/strict';
import { useTestServer } from '../fixtures/localServer';
import { openRunCloseCycles } from './cycles';
import { figure } from './figures';

/** The short version of the 200-cycle soak test (`npm run test:soak`). */
describe('Open → run → close cycles leave nothing behind (real server)', function () {
  this.timeout(180_000);
  const t = useTestServer();

  it('20 cycles: only the warm pool kernel is left on the server and in ps', async () => {
    const f = await openRunCloseCycles(t, 20);
    figure(
      '20 open-run-close cycles',
      `${f.msPerCycle.toFixed(0)} ms/cycle, heap growth ${(f.heapGrowthBytes / 1e6).toFixed(2)} MB`,
    );
    assert.equal(f.serverKernelsLeft, 1, 'the pool kernel only');
    assert.equal(f.kernelProcessesLeft, 1, 'the pool kernel process only');
  });
});
