import * as assert from 'node:assert/strict';
import {
  completeRequestContent,
  completionFromReply,
  fromCodePoints,
  toCodePoints,
} from '../../../../src/kernels/session/completion';
import { ContextRegistry } from '../../../../src/kernels/registry/contextRegistry';
import { FakeFactory } from '../fakes';
import { FakeTimer } from '../../fakeTimer';

describe('kernel completions: offsets in code points', () => {
  const cases: Array<{ code: string; utf16: number; points: number }> = [
    { code: 'alph', utf16: 4, points: 4 },
    { code: '', utf16: 0, points: 0 },
    { code: 's = "😀"; al', utf16: 12, points: 11 },
    { code: '😀😀x', utf16: 4, points: 2 },
    { code: 'é = 1', utf16: 1, points: 1 },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.code)}: UTF-16 offset ${c.utf16} is code point ${c.points}, and back`, () => {
      assert.equal(toCodePoints(c.code, c.utf16), c.points);
      assert.equal(fromCodePoints(c.code, c.points), c.utf16);
    });
  }

  it('sends cursor_pos in code points', () => {
    assert.deepEqual(completeRequestContent('"😀".up', 7), { code: '"😀".up', cursor_pos: 6 });
  });

  it('reads the reply range back in UTF-16 offsets', () => {
    const code = '"😀".up';
    const result = completionFromReply(code, 7, { status: 'ok', matches: ['upper'], cursor_start: 4, cursor_end: 6 });
    assert.deepEqual(result, { matches: ['upper'], start: 5, end: 7 });
    assert.equal(code.slice(0, result.start) + result.matches[0], '"😀".upper');
  });

  it('offers nothing for an error reply, and drops matches that are not strings', () => {
    assert.deepEqual(completionFromReply('x', 1, { status: 'error', matches: ['xy'] }).matches, []);
    assert.deepEqual(completionFromReply('x', 1, { status: 'ok', matches: ['xy', 3, null] }).matches, ['xy']);
  });

  it('a reply without a range replaces nothing before the cursor', () => {
    assert.deepEqual(completionFromReply('ab', 2, { status: 'ok', matches: ['c'] }), {
      matches: ['c'],
      start: 2,
      end: 2,
    });
  });
});

describe('ContextRegistry.complete', () => {
  const spec = { id: 'a', kind: 'named' as const, label: 'a' };

  it("asks the context's live kernel, without a run, and never starts a kernel", async () => {
    const factory = new FakeFactory();
    const registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    assert.equal(await registry.complete('a', 'al', 2), undefined, 'an unknown context');
    await registry.execute(spec, 'x = 1');
    const [session] = factory.started;
    session.completions = ['alpha', 'alphabet', 'beta'];
    const runsBefore = session.runs.length;
    assert.deepEqual(await registry.complete('a', 'y = al', 6), { matches: ['alpha', 'alphabet'], start: 4, end: 6 });
    assert.equal(session.runs.length, runsBefore, 'no execute');
    assert.equal(factory.started.length, 1);
    await registry.shutdown('a');
    assert.equal(await registry.complete('a', 'al', 2), undefined, 'a shut down context');
    assert.equal(factory.started.length, 1, 'completing started no kernel');
    await registry.disposeAsync();
  });
});
