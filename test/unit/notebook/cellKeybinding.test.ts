import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Keybinding {
  command: string;
  key: string;
  mac?: string;
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { keybindings: Keybinding[] };
};

describe('notebook cell keys', () => {
  // VS Code binds "run cell" to Ctrl+Enter only on macOS (Win+Enter elsewhere); on Linux and Windows Ctrl+Enter in
  // a cell inserted a line (in its editor) or a cell (in the list) unless the Jupyter extension was installed.
  it('Ctrl+Enter runs the focused cell of a notebook on a Kernel Islands kernel, in its editor or the cell list', () => {
    const binding = manifest.contributes.keybindings.find(
      (k) => k.key === 'ctrl+enter' && k.command === 'notebook.cell.executeAndFocusContainer',
    );
    assert.ok(binding, 'no ctrl+enter binding for notebook.cell.executeAndFocusContainer');
    const when = binding.when ?? '';
    assert.match(when, /notebookEditorFocused/);
    assert.match(when, /notebookKernel =~ \/\^kernelislands\\\.kernel-islands\\\/\/i/, 'only on our kernels');
    assert.match(when, /\(notebookCellListFocused \|\| editorTextFocus && inputFocus\)/);
  });

  it('the text editor Ctrl+Enter (run the cell at the cursor) still leaves notebook cells alone', () => {
    const runCell = manifest.contributes.keybindings.find((k) => k.command === 'kernelIslands.runCell');
    assert.ok(runCell?.when?.includes('!notebookEditorFocused'));
  });
});
