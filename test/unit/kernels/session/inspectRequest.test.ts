import * as assert from 'node:assert/strict';
import { inspectFromReply, inspectRequestContent } from '../../../../src/kernels/session/inspectRequest';

describe('inspect_request content and reply', () => {
  it('sends the cursor in code points', () => {
    assert.deepEqual(inspectRequestContent('"😀"; len', 9, 0), { code: '"😀"; len', cursor_pos: 8, detail_level: 0 });
    assert.deepEqual(inspectRequestContent('len', 3, 1), { code: 'len', cursor_pos: 3, detail_level: 1 });
  });

  const cases: Array<[string, Parameters<typeof inspectFromReply>[0], boolean]> = [
    ['found with data', { status: 'ok', found: true, data: { 'text/plain': 'Docstring: x' } }, true],
    ['not found', { status: 'ok', found: false, data: {} }, false],
    ['an error reply', { status: 'error', found: true, data: { 'text/plain': 'x' } }, false],
    ['found without a bundle', { status: 'ok', found: true }, false],
  ];
  for (const [title, reply, found] of cases) {
    it(title, () => {
      const result = inspectFromReply(reply);
      assert.equal(result.found, found);
      assert.deepEqual(result.data, found ? reply.data : {});
    });
  }
});
