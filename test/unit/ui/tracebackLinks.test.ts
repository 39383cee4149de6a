import * as assert from 'node:assert/strict';
import { stripAnsi, tracebackRefs } from '../../../src/ui/results/tracebackLinks';

/** Tracebacks exactly as ipykernel 6.17 / IPython 8.5 sent them on this machine (ANSI colours included). */
const callIntoModule = [
  '\x1b[0;31m---------------------------------------------------------------------------\x1b[0m',
  '\x1b[0;31mZeroDivisionError\x1b[0m                         Traceback (most recent call last)',
  'Cell \x1b[0;32mIn [2], line 3\x1b[0m\n\x1b[1;32m      1\x1b[0m \x1b[38;5;28;01mimport\x1b[39;00m \x1b[38;5;21;01msys\x1b[39;00m\n\x1b[1;32m      2\x1b[0m x\x1b[38;5;241m=\x1b[39m\x1b[38;5;241m1\x1b[39m\n\x1b[0;32m----> 3\x1b[0m \x1b[43mki_mod\x1b[49m\x1b[38;5;241;43m.\x1b[39;49m\x1b[43mf\x1b[49m\x1b[43m(\x1b[49m\x1b[43m)\x1b[49m\n',
  'File \x1b[0;32m/tmp/ki_mod.py:2\x1b[0m, in \x1b[0;36mf\x1b[0;34m()\x1b[0m\n\x1b[1;32m      1\x1b[0m \x1b[38;5;28;01mdef\x1b[39;00m \x1b[38;5;21mf\x1b[39m():\n\x1b[0;32m----> 2\x1b[0m     \x1b[38;5;28;01mreturn\x1b[39;00m \x1b[38;5;241;43m1\x1b[39;49m\x1b[38;5;241;43m/\x1b[39;49m\x1b[38;5;241;43m0\x1b[39;49m\n',
  '\x1b[0;31mZeroDivisionError\x1b[0m: division by zero',
];

const intoEarlierCell = [
  '\x1b[0;31mNameError\x1b[0m                                 Traceback (most recent call last)',
  'Cell \x1b[0;32mIn [3], line 1\x1b[0m\n\x1b[0;32m----> 1\x1b[0m \x1b[43mg\x1b[49m\x1b[43m(\x1b[49m\x1b[43m)\x1b[49m\n',
  'Cell \x1b[0;32mIn [1], line 2\x1b[0m, in \x1b[0;36mg\x1b[0;34m()\x1b[0m\n\x1b[1;32m      1\x1b[0m \x1b[38;5;28;01mdef\x1b[39;00m g():\n\x1b[0;32m----> 2\x1b[0m     \x1b[38;5;28;01mreturn\x1b[39;00m \x1b[43mh\x1b[49m()\n',
  "\x1b[0;31mNameError\x1b[0m: name 'h' is not defined",
];

const lines = (tb: string[]) => tb.join('\n').split('\n');

describe('traceback links', () => {
  it('strips ANSI colours', () => {
    assert.equal(stripAnsi('Cell \x1b[0;32mIn [2], line 3\x1b[0m'), 'Cell In [2], line 3');
  });

  it('links the cell frame, its numbered lines, and the file frame of an IPython 8 traceback', () => {
    const refs = tracebackRefs(lines(callIntoModule));
    const texts = lines(callIntoModule).map(stripAnsi);
    const linked = refs
      .map((ref, i) => (ref ? `${texts[i].trim().slice(0, 20)} -> ${JSON.stringify(ref)}` : undefined))
      .filter(Boolean);
    assert.deepEqual(linked, [
      'Cell In [2], line 3 -> {"kind":"cell","executionCount":2,"line":3}',
      '1 import sys -> {"kind":"cell","executionCount":2,"line":1}',
      '2 x=1 -> {"kind":"cell","executionCount":2,"line":2}',
      '----> 3 ki_mod.f() -> {"kind":"cell","executionCount":2,"line":3}',
      'File /tmp/ki_mod.py: -> {"kind":"file","path":"/tmp/ki_mod.py","line":2}',
      '1 def f(): -> {"kind":"file","path":"/tmp/ki_mod.py","line":1}',
      '----> 2     return 1 -> {"kind":"file","path":"/tmp/ki_mod.py","line":2}',
    ]);
  });

  it('a frame in an earlier execution points at that execution', () => {
    const refs = tracebackRefs(lines(intoEarlierCell)).filter((r) => r !== null);
    assert.deepEqual(refs[0], { kind: 'cell', executionCount: 3, line: 1 });
    assert.ok(refs.some((r) => r?.kind === 'cell' && r.executionCount === 1 && r.line === 2));
  });

  const single: Array<[string, string, unknown]> = [
    [
      'plain Python frame',
      '  File "/home/u/x.py", line 12, in <module>',
      { kind: 'file', path: '/home/u/x.py', line: 12 },
    ],
    ['IPython 8.x later spelling', 'Cell In[7], line 4', { kind: 'cell', executionCount: 7, line: 4 }],
    [
      'Python frame in an ipython input',
      '  File "<ipython-input-5-0a1b2c>", line 3, in f',
      { kind: 'cell', executionCount: 5, line: 3 },
    ],
    ['the error line links nowhere', "NameError: name 'h' is not defined", null],
    ['a dashed rule links nowhere', '-----------------', null],
  ];
  for (const [name, line, expected] of single) {
    it(name, () => assert.deepEqual(tracebackRefs([line])[0], expected));
  }

  it('IPython 7: the arrow line under an <ipython-input> header gives the line', () => {
    const refs = tracebackRefs([
      '<ipython-input-4-1e2d3c4b5a6f> in <module>',
      '      1 x = 1',
      '----> 2 1/0',
      '',
      'ZeroDivisionError: division by zero',
    ]);
    assert.deepEqual(refs, [
      null,
      { kind: 'cell', executionCount: 4, line: 1 },
      { kind: 'cell', executionCount: 4, line: 2 },
      null,
      null,
    ]);
  });
});
