import * as assert from 'node:assert/strict';
import { contextSpecFor, labelForId } from '../../../src/kernels/contextSpec';
import { kernelNameForLanguage } from '../../../src/kernels/languageKernels';

describe('context specs', () => {
  it('a file context runs in the file folder with __file__ set', () => {
    assert.deepEqual(contextSpecFor('file:///w/a.py', '/w/a.py', 'python3'), {
      id: 'file:///w/a.py',
      label: 'a.py',
      cwd: '/w',
      file: '/w/a.py',
      kernelName: 'python3',
    });
  });
  it('a free string keeps its id as label and uses the fallback folder', () => {
    assert.deepEqual(contextSpecFor('agent:chat-42', undefined, 'python3', '/home'), {
      id: 'agent:chat-42',
      label: 'agent:chat-42',
      cwd: '/home',
      kernelName: 'python3',
    });
  });
  const labels: Array<[string, string]> = [
    ['untitled:Untitled-1', 'Untitled-1'],
    ['file:///w/my%20nb.ipynb', 'my nb.ipynb'],
    ['agent:chat-42', 'agent:chat-42'],
  ];
  for (const [id, label] of labels) {
    it(`labels ${id} as ${label}`, () => assert.equal(labelForId(id), label));
  }
});

describe('kernelNameForLanguage', () => {
  it('uses the defaults', () => {
    assert.equal(kernelNameForLanguage('python', {}, 'fallback'), 'python3');
    assert.equal(kernelNameForLanguage('r', {}, 'fallback'), 'ir');
  });
  it('prefers the user mapping', () => {
    assert.equal(kernelNameForLanguage('python', { python: 'py311' }, 'fallback'), 'py311');
  });
  it('resolves a prefix pattern against the available kernelspecs, newest name first', () => {
    assert.equal(
      kernelNameForLanguage('julia', {}, 'fallback', ['python3', 'julia-1.9', 'julia-1.11', 'julia-1.10']),
      'julia-1.11',
    );
    assert.equal(kernelNameForLanguage('julia', {}, 'fallback', ['python3']), 'fallback');
  });
  it('falls back for unknown languages', () => {
    assert.equal(kernelNameForLanguage('cobol', {}, 'python3'), 'python3');
    assert.equal(kernelNameForLanguage(undefined, {}, 'python3'), 'python3');
  });
});
