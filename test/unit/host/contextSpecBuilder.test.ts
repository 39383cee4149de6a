import * as assert from 'node:assert/strict';
import { requireWithVscodeStub } from '../withVscodeStub';

/** Enough of `vscode.Uri` for the builder: its text, scheme and path. */
class FakeUri {
  constructor(private readonly text: string) {}
  get scheme(): string {
    return this.text.slice(0, this.text.indexOf(':'));
  }
  get fsPath(): string {
    return this.text.replace(/^file:\/\//, '');
  }
  toString(): string {
    return this.text;
  }
}

const vscodeStub = {
  window: {},
  workspace: { workspaceFolders: undefined, getWorkspaceFolder: () => undefined },
};

function textDocument(uri: string, isUntitled: boolean) {
  return { uri: new FakeUri(uri), isUntitled, languageId: 'python' } as never;
}

describe('context spec builder (host/contextSpecBuilder): kernel choices', () => {
  const { ContextSpecBuilder } = requireWithVscodeStub<typeof import('../../../src/host/contextSpecBuilder')>(
    require.resolve('../../../src/host/contextSpecBuilder'),
    vscodeStub,
  );
  const settings = { languageKernels: () => ({}), defaultKernel: () => 'python3', defaultServer: () => 'local' };

  it("a new untitled buffer that gets a closed one's URI does not inherit its kernel or server", () => {
    const specs = new ContextSpecBuilder(settings);
    const closed = textDocument('untitled:Untitled-1', true);
    specs.chooseKernel(new FakeUri('untitled:Untitled-1') as never, 'python3', 'suite-remote');
    assert.equal(specs.forDocument(closed).server, 'suite-remote');

    specs.forgetUntitledChoice('untitled:Untitled-1');
    const next = specs.forDocument(textDocument('untitled:Untitled-1', true));
    assert.equal(next.server, 'local');
    assert.equal(next.kind, 'untitled');
  });

  it('a file keeps its chosen kernel when its last tab closes', () => {
    const specs = new ContextSpecBuilder(settings);
    specs.chooseKernel(new FakeUri('file:///w/a.py') as never, 'ir', 'remote-a');
    specs.forgetUntitledChoice('file:///w/a.py');
    const spec = specs.forDocument(textDocument('file:///w/a.py', false));
    assert.equal(spec.kernelName, 'ir');
    assert.equal(spec.server, 'remote-a');
  });
});
