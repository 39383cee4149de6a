import * as assert from 'node:assert/strict';
import {
  type ContextFacts,
  contextKindOfId,
  contextSpec,
  isContextKind,
  isDocumentId,
  labelForId,
} from '../../../src/kernels/contextSpec';
import { kernelNameForLanguage, NoMatchingKernelError, resolveKernelName } from '../../../src/kernels/languageKernels';
import type { ContextKind, ContextSpec } from '../../../src/kernels/types';

describe('context ids: kind, document or not, label', () => {
  // id, its kind, its label. Documents and notebooks are named by their URI; everything else by a caller's string.
  const ids: Array<[string, ContextKind, string]> = [
    ['file:///w/a.py', 'file', 'a.py'],
    ['file:///w/my%20dir/b%20c.py', 'file', 'b c.py'],
    ['FILE:///w/upper.py', 'file', 'upper.py'],
    ['untitled:Untitled-1', 'untitled', 'Untitled-1'],
    ['file:///w/my%20nb.ipynb', 'notebook', 'my nb.ipynb'],
    ['file:///w/NB.IPYNB', 'notebook', 'NB.IPYNB'],
    ['untitled:Untitled-2.ipynb', 'notebook', 'Untitled-2.ipynb'],
    ['vscode-notebook:/w/nb.ipynb', 'notebook', 'nb.ipynb'],
    ['vscode-notebook-cell:/w/nb.ipynb#W0sZmlsZQ%3D%3D', 'notebook', 'nb.ipynb'],
    ['vscode-remote://ssh-remote%2Bbox/home/me/r.py', 'file', 'r.py'],
    ['vscode-remote://ssh-remote%2Bbox/home/me/r.ipynb', 'notebook', 'r.ipynb'],
    ['vscode-vfs://github/o/r/v.py', 'file', 'v.py'],
    ['vscode-userdata:/u/snippet.py', 'file', 'snippet.py'],
    ['agent:chat-42', 'agent', 'agent:chat-42'],
    ['agent:', 'agent', 'agent:'],
    ['my-session', 'named', 'my-session'],
    ['bench:p3', 'named', 'bench:p3'],
    ['filesystem:/not/a/file', 'named', 'filesystem:/not/a/file'],
    ['untitledish:x', 'named', 'untitledish:x'],
    ['git:/w/a.py', 'named', 'git:/w/a.py'],
    ['Agent:upper', 'named', 'Agent:upper'],
  ];
  for (const [id, kind, label] of ids) {
    it(`${id} is ${kind}, labelled ${label}`, () => {
      assert.equal(contextKindOfId(id), kind);
      assert.equal(isDocumentId(id), kind === 'file' || kind === 'untitled' || kind === 'notebook');
      assert.equal(labelForId(id), label);
    });
  }
  it('knows the five kinds and nothing else', () => {
    for (const kind of ['file', 'untitled', 'notebook', 'named', 'agent']) {
      assert.ok(isContextKind(kind), kind);
    }
    for (const other of ['document', 'File', '', undefined, 3]) {
      assert.ok(!isContextKind(other), String(other));
    }
  });
});

describe('context specs: what each kind means for the kernel', () => {
  const cases: Array<[string, ContextFacts, ContextSpec]> = [
    [
      'a file runs in its folder with __file__ set',
      { id: 'file:///w/a.py', kind: 'file', filePath: '/w/a.py', fallbackCwd: '/ws', kernelName: 'python3' },
      { id: 'file:///w/a.py', kind: 'file', label: 'a.py', cwd: '/w', file: '/w/a.py', kernelName: 'python3' },
    ],
    [
      'a notebook runs in its folder without __file__, as in Jupyter',
      { id: 'file:///w/n.ipynb', kind: 'notebook', filePath: '/w/n.ipynb', fallbackCwd: '/ws', kernelName: 'ir' },
      { id: 'file:///w/n.ipynb', kind: 'notebook', label: 'n.ipynb', cwd: '/w', kernelName: 'ir' },
    ],
    [
      'an untitled notebook runs in the fallback folder',
      { id: 'untitled:Untitled-1.ipynb', kind: 'notebook', fallbackCwd: '/ws' },
      { id: 'untitled:Untitled-1.ipynb', kind: 'notebook', label: 'Untitled-1.ipynb', cwd: '/ws' },
    ],
    [
      'an untitled buffer runs in the fallback folder without __file__',
      { id: 'untitled:Untitled-1', kind: 'untitled', fallbackCwd: '/ws', server: 'remote-a' },
      { id: 'untitled:Untitled-1', kind: 'untitled', label: 'Untitled-1', cwd: '/ws', server: 'remote-a' },
    ],
    [
      'a remote file (no local path) runs in the fallback folder',
      { id: 'vscode-remote://h/r.py', kind: 'file' },
      { id: 'vscode-remote://h/r.py', kind: 'file', label: 'r.py' },
    ],
    [
      'an agent context takes its kind from its id and keeps the id as label',
      { id: 'agent:chat-42', fallbackCwd: '/home', kernelName: 'python3' },
      { id: 'agent:chat-42', kind: 'agent', label: 'agent:chat-42', cwd: '/home', kernelName: 'python3' },
    ],
    [
      'a named context never gets __file__, even with a path',
      { id: 'my-session', filePath: '/w/x.py', fallbackCwd: '/home' },
      { id: 'my-session', kind: 'named', label: 'my-session', cwd: '/home' },
    ],
  ];
  for (const [what, facts, spec] of cases) {
    it(what, () => assert.deepEqual(contextSpec(facts), spec));
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
