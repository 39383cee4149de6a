import * as assert from 'node:assert/strict';
import Module from 'node:module';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** A URI that prints as its text, like `vscode.Uri.toString()`. */
class FakeUri {
  constructor(private readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The tab input classes `openTabs` tells apart, and tab groups a test fills. */
class TabInputText {
  constructor(readonly uri: FakeUri) {}
}
class TabInputNotebook {
  constructor(
    readonly uri: FakeUri,
    readonly notebookType = 'jupyter-notebook',
  ) {}
}
class TabInputTextDiff {
  constructor(
    readonly original: FakeUri,
    readonly modified: FakeUri,
  ) {}
}
class TabInputWebview {
  constructor(readonly viewType: string) {}
}

const vscodeStub = {
  TabInputText,
  TabInputNotebook,
  TabInputTextDiff,
  window: { tabGroups: { all: [] as Array<{ tabs: Array<{ input: unknown }> }> } },
};

function loadOpenTabs(): typeof import('../../../src/host/openTabs') {
  const internals = Module as unknown as { _load: Loader };
  const original = internals._load;
  internals._load = function (request, parent, isMain) {
    return request === 'vscode' ? vscodeStub : original.call(this, request, parent, isMain);
  };
  try {
    // A plain require on purpose: the stub must be in place while the module loads `vscode`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../../src/host/openTabs') as typeof import('../../../src/host/openTabs');
  } finally {
    internals._load = original;
  }
}

describe('open tabs (host/openTabs)', () => {
  const { openTabUris } = loadOpenTabs();

  it('lists text editors, notebooks and the modified side of a diff editor, in every group', () => {
    vscodeStub.window.tabGroups.all = [
      { tabs: [{ input: new TabInputText(new FakeUri('file:///w/a.py')) }] },
      {
        tabs: [
          { input: new TabInputNotebook(new FakeUri('file:///w/n.ipynb')) },
          // The Source Control diff of b.py: its kernel belongs to the file, which is still open here.
          { input: new TabInputTextDiff(new FakeUri('git:/w/b.py?HEAD'), new FakeUri('file:///w/b.py')) },
          { input: new TabInputWebview('kernelIslands.results') },
        ],
      },
    ];
    assert.deepEqual([...openTabUris()].sort(), ['file:///w/a.py', 'file:///w/b.py', 'file:///w/n.ipynb']);
  });

  it('a document shown only as the original side of a diff is not open', () => {
    vscodeStub.window.tabGroups.all = [
      { tabs: [{ input: new TabInputTextDiff(new FakeUri('file:///w/old.py'), new FakeUri('file:///w/new.py')) }] },
    ];
    assert.deepEqual([...openTabUris()], ['file:///w/new.py']);
  });
});
