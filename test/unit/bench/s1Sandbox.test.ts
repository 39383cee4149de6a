import * as assert from 'node:assert/strict';
import { parseArgs } from '../../../bench/options';
import { makeRow } from '../../../bench/report';
import { s2NotMeasured, s2Rows, vmRssKb, type S2Data } from '../../../bench/s1Sandbox';

function data(overrides: Partial<S2Data> = {}): S2Data {
  return {
    firstResult: { sandboxed: [30, 34, 32], plain: [20, 20, 20] },
    roundTrip: { sandboxed: [1.2, 1.0, 1.1], plain: [1.0, 1.0, 1.0] },
    idleMemoryMb: { sandboxed: [52, 53, 54], plain: [48, 49, 50] },
    idleProcesses: { sandboxed: [3, 3, 3], plain: [1, 1, 1] },
    transport: { sandboxed: 'ZmqKernelSession', plain: 'ZmqKernelSession' },
    ...overrides,
  };
}

describe('bench S2 (agent sandbox)', () => {
  const config = parseArgs(['--quick', '--only', 's2']);

  it('is chosen with --only s2', () => {
    assert.deepEqual([...config.only], ['s2']);
  });

  it('reads VmRSS from /proc/<pid>/status, and nothing from a process without one', () => {
    const status = 'Name:\tpython3\nVmPeak:\t  99999 kB\nVmRSS:\t   51234 kB\nRssAnon:\t 1 kB\n';
    assert.equal(vmRssKb(status), 51234);
    assert.equal(vmRssKb('Name:\tkthreadd\nState:\tS (sleeping)\n'), undefined);
  });

  it('judges the first result and round trip against the unsandboxed medians, memory without a goal', () => {
    const rows = s2Rows(data(), config).map(makeRow);
    assert.deepEqual(
      rows.map((r) => r.id),
      ['S2.firstResult', 'S2.roundTrip', 'S2.idleMemory'],
    );
    const [first, roundTrip, memory] = rows;
    assert.equal(first.ratio, 1.6);
    assert.equal(first.met, true, '1.6x is within 2x');
    assert.equal(roundTrip.ratio?.toFixed(2), '1.10');
    assert.equal(roundTrip.met, true, '1.1x is within 1.1x');
    assert.equal(memory.unit, 'MB');
    assert.equal(memory.met, undefined);
    assert.equal(memory.difference, 4);
    assert.match(memory.note ?? '', /3 sandboxed, 1 unsandboxed/);
    const slow = s2Rows(data({ roundTrip: { sandboxed: [1.3], plain: [1.0] } }), config).map(makeRow)[1];
    assert.equal(slow.met, false);
  });

  it('gives no rows but the reason when no sandbox could be made', () => {
    const reason = 'Agent contexts run in a sandbox, and none can be made here: bubblewrap (bwrap) is not installed';
    const none = data({
      notMeasured: reason,
      firstResult: { sandboxed: [], plain: [] },
      roundTrip: { sandboxed: [], plain: [] },
      idleMemoryMb: { sandboxed: [], plain: [] },
      idleProcesses: { sandboxed: [], plain: [] },
      transport: undefined,
    });
    assert.deepEqual(s2Rows(none, config), []);
    assert.equal(s2NotMeasured(none), `S2.firstResult, S2.roundTrip, S2.idleMemory not measured: ${reason}`);
    assert.equal(s2NotMeasured(data()), undefined);
  });
});
