import * as assert from 'node:assert/strict';
import { CellLineMap } from '../../../../src/kernels/debug/cellLineMap';

const USER = '/work/project/analysis.py';
const DUMPED = '/tmp/ipykernel_42/123456.py';
/** A three-line cell whose first line is line 10 of the user's file. */
const map = new CellLineMap({ path: USER, firstLine: 10, code: 'a = 1\nb = 2\nc = 3' }, DUMPED);

describe('CellLineMap (user file ↔ the kernel’s dumped copy of the cell)', () => {
  const toDumped: Array<[number, number | undefined]> = [
    [9, undefined],
    [10, 1],
    [11, 2],
    [12, 3],
    [13, undefined],
  ];
  for (const [userLine, dumped] of toDumped) {
    it(`user line ${userLine} → copy line ${dumped ?? 'none (outside the cell)'}`, () => {
      assert.equal(map.toDumpedLine(userLine), dumped);
    });
  }

  it('maps the copy’s lines back to the user’s file and leaves other files alone', () => {
    assert.deepEqual(map.toUser({ path: DUMPED, line: 1 }), { path: USER, line: 10 });
    assert.deepEqual(map.toUser({ path: DUMPED, line: 3 }), { path: USER, line: 12 });
    assert.deepEqual(map.toUser({ path: '/work/project/helpers.py', line: 3 }), {
      path: '/work/project/helpers.py',
      line: 3,
    });
  });

  it('round-trips every line of the cell', () => {
    for (let line = 10; line <= 12; line++) {
      assert.deepEqual(map.toUser({ path: DUMPED, line: map.toDumpedLine(line)! }), { path: USER, line });
    }
  });

  it('names the copy’s source as the user’s file and keeps other fields', () => {
    assert.deepEqual(map.sourceToUser({ path: DUMPED, name: '123456.py', sourceReference: 0 }), {
      path: USER,
      name: 'analysis.py',
      sourceReference: 0,
    });
    const other = { path: '/work/project/helpers.py', name: 'helpers.py' };
    assert.equal(map.sourceToUser(other), other);
    assert.equal(map.sourceToUser(undefined), undefined);
  });

  it('splits breakpoints into those inside the cell (at the copy’s lines, conditions kept) and those outside', () => {
    const { inside, outside } = map.breakpointsToDumped([
      { line: 2 },
      { line: 11, condition: 'b > 1' },
      { line: 12 },
      { line: 40 },
    ]);
    assert.deepEqual(inside, [{ line: 2, condition: 'b > 1' }, { line: 3 }]);
    assert.deepEqual(outside, [0, 3]);
  });

  it('a file without cell markers (Debug File) maps line for line', () => {
    const whole = new CellLineMap({ path: USER, firstLine: 1, code: 'x = 1\ny = 2\n' }, DUMPED);
    assert.equal(whole.toDumpedLine(2), 2);
    assert.deepEqual(whole.toUser({ path: DUMPED, line: 2 }), { path: USER, line: 2 });
  });

  it('refuses a first line that is not a line number', () => {
    assert.throws(() => new CellLineMap({ path: USER, firstLine: 0, code: 'x' }, DUMPED), /line number from 1/);
  });
});
