import * as assert from 'node:assert/strict';
import { uiRows } from '../../../bench/ui/uiRows';

describe('bench:ui rows', () => {
  const u1 = {
    ui: [90, 100, 110],
    parts: { inline: [80, 90, 100], panel: [85, 95, 105], floor: [60, 70, 80] },
    engine: [10, 12, 14],
    traces: [],
  };

  it('U1 keeps its goal against the engine, and adds the workbench floor and U1 over that floor', () => {
    const rows = uiRows({ u1 });
    assert.deepEqual(
      rows.map((r) => r.id),
      ['U1', 'U1.inline', 'U1.panel', 'U1.floor', 'U1.overFloor'],
    );
    const u1Row = rows.find((r) => r.id === 'U1');
    assert.equal(u1Row?.baseline?.samples, u1.engine);
    assert.deepEqual(u1Row?.goal, { metric: 'difference', op: '<=', target: 25 });
    const over = rows.find((r) => r.id === 'U1.overFloor');
    assert.equal(over?.samples, u1.parts.inline);
    assert.equal(over?.baseline?.samples, u1.parts.floor);
    assert.equal(over?.goal, undefined, 'the floor rows add evidence, not a goal of their own');
  });

  it('without floor samples there are no floor rows', () => {
    const rows = uiRows({ u1: { ...u1, parts: { inline: u1.parts.inline, panel: u1.parts.panel } } });
    assert.deepEqual(
      rows.map((r) => r.id),
      ['U1', 'U1.inline', 'U1.panel'],
    );
  });
});
