import * as assert from 'node:assert/strict';
import { requireWithVscodeStub } from '../withVscodeStub';
import {
  FakeUri,
  TabInputNotebook,
  TabInputText,
  TabInputTextDiff,
  TabInputWebview,
  tabsStub,
  type TabGroups,
} from './fakeTabs';

const vscodeStub = tabsStub({ all: [] as TabGroups });

describe('open tabs (workbench/openTabs)', () => {
  const { openTabUris } = requireWithVscodeStub<typeof import('../../../src/workbench/openTabs')>(
    require.resolve('../../../src/workbench/openTabs'),
    vscodeStub,
  );

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
