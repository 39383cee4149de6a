import * as assert from 'node:assert/strict';
import { contextIdFromArg } from '../../../src/workbench/contextArg';

describe('contextIdFromArg (the context a command argument names)', () => {
  it('a string is the context id', () => {
    assert.equal(contextIdFromArg('agent:chat-42'), 'agent:chat-42');
    assert.equal(contextIdFromArg('file:///w/a.py'), 'file:///w/a.py');
  });

  it('a Kernels view item names its context', () => {
    assert.equal(contextIdFromArg({ contextId: 'file:///w/n.ipynb', label: 'n.ipynb' }), 'file:///w/n.ipynb');
  });

  it('anything else names no context (the command then uses the active one)', () => {
    for (const arg of [undefined, null, 3, {}, { contextId: 7 }, { id: 'file:///w/a.py' }, ['file:///w/a.py']]) {
      assert.equal(contextIdFromArg(arg), undefined, JSON.stringify(arg));
    }
  });
});
