import * as assert from 'node:assert/strict';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import { ContextSpecBuilder } from '../../../src/workbench/contextSpecBuilder';
import { Uri } from '../../shared/vscodeDouble';

function textDocument(uri: string, isUntitled: boolean) {
  return { uri: Uri.parse(uri), isUntitled, languageId: 'python' } as never;
}

describe('context spec builder (workbench/contextSpecBuilder): kernel choices', () => {
  const settings = { languageKernels: () => ({}), defaultKernel: () => 'python3', defaultServer: () => 'local' };

  it("a new untitled buffer that gets a closed one's URI does not inherit its kernel or server", () => {
    const specs = new ContextSpecBuilder(settings);
    const closed = textDocument('untitled:Untitled-1', true);
    specs.chooseKernel(Uri.parse('untitled:Untitled-1') as never, 'python3', 'suite-remote');
    assert.equal(specs.forDocument(closed).server, 'suite-remote');

    specs.forgetUntitledChoice('untitled:Untitled-1');
    const next = specs.forDocument(textDocument('untitled:Untitled-1', true));
    assert.equal(next.server, 'local');
    assert.equal(next.kind, 'untitled');
  });

  it('a file keeps its chosen kernel when its last tab closes', () => {
    const specs = new ContextSpecBuilder(settings);
    specs.chooseKernel(Uri.parse('file:///w/a.py') as never, 'ir', 'remote-a');
    specs.forgetUntitledChoice('file:///w/a.py');
    const spec = specs.forDocument(textDocument('file:///w/a.py', false));
    assert.equal(spec.kernelName, 'ir');
    assert.equal(spec.server, 'remote-a');
  });
});

describe('context spec builder (workbench/contextSpecBuilder): project environments', () => {
  const local = { languageKernels: () => ({}), defaultKernel: () => 'python3', defaultServer: () => 'local' };
  const venvA = '/w/proj-a/.venv/bin/python';
  const envA = environmentKernelName(venvA);

  /** A lookup whose discovery answers venv A for every document, and whose registry knows `current`. */
  const lookup = (current: Record<string, string> = {}) => ({
    pythonFor: () => venvA,
    currentKernel: (id: string) => current[id],
  });
  const doc = (uri: string, languageId = 'python') => ({ uri: Uri.parse(uri), isUntitled: false, languageId }) as never;

  it("a Python file nobody chose a kernel for runs in its folder's environment, on the local server", () => {
    const spec = new ContextSpecBuilder(local, lookup()).forDocument(doc('file:///w/proj-a/a.py'));
    assert.equal(spec.kernelName, envA);
    assert.equal(spec.server, 'local');
  });

  it('a chosen kernel, another language, a remote default server or no environment keep their kernelspec', () => {
    const specs = new ContextSpecBuilder(local, lookup());
    specs.chooseKernel(Uri.parse('file:///w/proj-a/b.py') as never, 'python3', 'local');
    assert.equal(specs.forDocument(doc('file:///w/proj-a/b.py')).kernelName, 'python3');
    assert.equal(specs.forDocument(doc('file:///w/proj-a/c.r', 'r')).kernelName, 'ir');
    const remote = new ContextSpecBuilder({ ...local, defaultServer: () => 'remote-a' }, lookup());
    assert.deepEqual(
      [
        remote.forDocument(doc('file:///w/proj-a/a.py')).kernelName,
        remote.forDocument(doc('file:///w/proj-a/a.py')).server,
      ],
      ['python3', 'remote-a'],
    );
    const none = new ContextSpecBuilder(local, { pythonFor: () => undefined, currentKernel: () => undefined });
    assert.equal(none.forDocument(doc('file:///w/proj-a/a.py')).kernelName, 'python3');
  });

  it('a context keeps the environment it runs in while it lives (a deleted venv is reported, not replaced)', () => {
    const running = { 'file:///w/proj-a/a.py': envA, 'file:///w/proj-a/old.py': 'python3' };
    const specs = new ContextSpecBuilder(local, {
      pythonFor: () => undefined,
      currentKernel: (id: string) => running[id as keyof typeof running],
    });
    assert.equal(specs.forDocument(doc('file:///w/proj-a/a.py')).kernelName, envA);
    const found = new ContextSpecBuilder(local, {
      pythonFor: () => venvA,
      currentKernel: (id: string) => running[id as keyof typeof running],
    });
    assert.equal(found.forDocument(doc('file:///w/proj-a/old.py')).kernelName, 'python3', 'started before the venv');
  });

  it("useServerPython: this context only runs in the server's Python from now on", () => {
    const specs = new ContextSpecBuilder(local, lookup());
    specs.useServerPython('file:///w/proj-a/a.py');
    assert.equal(specs.forDocument(doc('file:///w/proj-a/a.py')).kernelName, 'python3');
    assert.equal(specs.forDocument(doc('file:///w/proj-a/other.py')).kernelName, envA);
  });
});
