import * as assert from 'node:assert/strict';
import { dedent } from '../../../src/editor/codeText';

describe('dedent', () => {
  const cases: Array<[string, string, string]> = [
    ['top-level code is unchanged', 'x = 1\nprint(x)', 'x = 1\nprint(x)'],
    ['common indentation is removed', '    x = 1\n    if x:\n        print(x)', 'x = 1\nif x:\n    print(x)'],
    ['blank lines do not limit the indent', '  a\n\n  b', 'a\n\nb'],
    ['mixed indentation keeps the common part only', '\t\ta\n\tb', '\ta\nb'],
    ['CRLF becomes LF', '  a\r\n  b', 'a\nb'],
    ['no common indentation', 'a\n  b', 'a\n  b'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.equal(dedent(input), expected));
  }
});
