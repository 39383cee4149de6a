import * as assert from 'node:assert/strict';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import { platformFor } from '../../../src/common/platform';
import { ContextSpecBuilder } from '../../../src/workbench/contextSpecBuilder';
import { Uri } from '../../shared/vscodeDouble';
import { vscodeDouble } from '../withVscodeDouble';

/** A Windows file URI as VS Code gives it: the drive in lower case in its text, `\` in its fsPath. */
class WindowsFileUri {
  constructor(private readonly text: string) {}
  get scheme(): string {
    return this.text.slice(0, this.text.indexOf(':'));
  }
  get fsPath(): string {
    const p = decodeURIComponent(this.text.replace(/^file:\/\/\//, ''));
    return p[0].toLowerCase() + p.slice(1).replace(/\//g, '\\');
  }
  toString(): string {
    return this.text.replace(/^file:\/\/\/([A-Za-z]):/, (_, d: string) => `file:///${d.toLowerCase()}%3A`);
  }
}

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

describe('context spec builder (workbench/contextSpecBuilder): Windows file ids', () => {
  const settings = { languageKernels: () => ({}), defaultKernel: () => 'python3', defaultServer: () => 'local' };
  const open = { uri: new WindowsFileUri('file:///c%3A/Proj/A.py'), isUntitled: false, languageId: 'python' };
  // The double's Uri parses as on Linux; these tests need VS Code's Windows parsing.
  const parse = Object.getOwnPropertyDescriptor(Uri, 'parse') as PropertyDescriptor;

  before(() => {
    Object.defineProperty(Uri, 'parse', { value: (text: string) => new WindowsFileUri(text), configurable: true });
  });
  after(() => {
    Object.defineProperty(Uri, 'parse', parse);
  });
  beforeEach(() => {
    vscodeDouble.textDocuments = [open];
  });

  it("on Windows an API target finds the open file's context whatever the case of its drive and path", () => {
    const specs = new ContextSpecBuilder(settings, undefined, platformFor('win32'));
    for (const target of ['file:///C:/Proj/A.py', 'file:///c:/proj/a.py', 'file:///C%3A/PROJ/a.PY']) {
      assert.equal(specs.forTarget(target).id, 'file:///c%3A/Proj/A.py', target);
    }
    assert.notEqual(specs.forTarget('file:///c:/Proj/B.py').id, 'file:///c%3A/Proj/A.py', 'another file');
  });

  it('elsewhere paths keep their case: another spelling is another file', () => {
    const specs = new ContextSpecBuilder(settings, undefined, platformFor('linux'));
    assert.equal(specs.forTarget('file:///c:/Proj/A.py').id, 'file:///c%3A/Proj/A.py', 'the same text');
    assert.equal(specs.forTarget('file:///c:/proj/a.py').id, 'file:///c%3A/proj/a.py');
  });
});
