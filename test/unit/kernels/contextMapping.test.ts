import * as assert from 'node:assert/strict';
import { contextSpecFor, labelForId } from '../../../src/kernels/contextSpec';
import { kernelNameForLanguage, NoMatchingKernelError, resolveKernelName } from '../../../src/kernels/languageKernels';

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
  it("leaves a pattern for the kernel's server to resolve: a .jl file does not fall back to the default", () => {
    assert.equal(kernelNameForLanguage('julia', {}, 'python3'), 'julia-*');
    assert.equal(kernelNameForLanguage('julia', { julia: 'julia-1.9' }, 'python3'), 'julia-1.9');
  });
  it('falls back for unknown languages', () => {
    assert.equal(kernelNameForLanguage('cobol', {}, 'python3'), 'python3');
    assert.equal(kernelNameForLanguage(undefined, {}, 'python3'), 'python3');
  });
});

describe('resolveKernelName', () => {
  it("resolves a prefix pattern against the server's kernelspecs, newest name first", () => {
    const available = ['python3', 'julia-1.9', 'julia-1.11', 'julia-1.10'];
    assert.equal(resolveKernelName('julia-*', available, 'local'), 'julia-1.11');
  });
  it('passes a plain name through (the server reports an unknown one)', () => {
    assert.equal(resolveKernelName('ir', ['python3'], 'local'), 'ir');
  });
  it('says how to get a Julia kernel when none matches, instead of falling back to Python', () => {
    assert.throws(
      () => resolveKernelName('julia-*', ['python3', 'ir'], 'gpu-box'),
      (err: Error) =>
        err instanceof NoMatchingKernelError &&
        err.message ===
          'No kernelspec on the Jupyter server "gpu-box" matches "julia-*". Install IJulia in Julia ' +
            '(`using Pkg; Pkg.add("IJulia")`), which adds a julia-1.x kernelspec, or map the language to an ' +
            'installed kernelspec in the setting kernelIslands.languageKernels. Available kernelspecs: ir, python3.',
    );
  });
});
