import * as assert from 'node:assert/strict';
import { openTabUris } from '../../../src/workbench/openTabs';
import { TabInputNotebook, TabInputText, TabInputTextDiff, TabInputWebview, Uri } from '../../shared/vscodeDouble';
import { vscodeDouble } from '../withVscodeDouble';

describe('open tabs (workbench/openTabs)', () => {
  it('lists text editors, notebooks and the modified side of a diff editor, in every group', () => {
    vscodeDouble.tabGroups = [
      { tabs: [{ input: new TabInputText(Uri.parse('file:///w/a.py')) }] },
      {
        tabs: [
          { input: new TabInputNotebook(Uri.parse('file:///w/n.ipynb')) },
          // The Source Control diff of b.py: its kernel belongs to the file, which is still open here.
          { input: new TabInputTextDiff(Uri.parse('git:/w/b.py?HEAD'), Uri.parse('file:///w/b.py')) },
          { input: new TabInputWebview('kernelIslands.results') },
        ],
      },
    ];
    assert.deepEqual([...openTabUris()].sort(), ['file:///w/a.py', 'file:///w/b.py', 'file:///w/n.ipynb']);
  });

  it('a document shown only as the original side of a diff is not open', () => {
    vscodeDouble.tabGroups = [
      { tabs: [{ input: new TabInputTextDiff(Uri.parse('file:///w/old.py'), Uri.parse('file:///w/new.py')) }] },
    ];
    assert.deepEqual([...openTabUris()], ['file:///w/new.py']);
  });
});
