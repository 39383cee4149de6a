import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Keybinding {
  command: string;
  key: string;
  args?: { key?: string };
  when?: string;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: {
    keybindings: Keybinding[];
    configuration:
      { properties: Record<string, { default?: unknown }> } | { properties: Record<string, { default?: unknown }> }[];
  };
};

function defaultLanguages(): string[] {
  const sections = [manifest.contributes.configuration].flat();
  const setting = sections.map((s) => s.properties['kernelIslands.languages']).find((p) => p !== undefined);
  return setting?.default as string[];
}

// A window reload brings the editors back seconds before this extension activates and sets its context keys; a
// Shift+Enter pressed then inserted a line in a.py and ran nothing (the reload UI test's "a.py never reconnected").
describe('Shift+Enter and Ctrl+Enter before the extension activated', () => {
  for (const key of ['shift+enter', 'ctrl+enter']) {
    it(`${key} goes to kernelIslands.runKey in the default languages until the context keys are set`, () => {
      const binding = manifest.contributes.keybindings.find(
        (k) => k.key === key && k.command === 'kernelIslands.runKey',
      );
      assert.ok(binding, `no ${key} binding for kernelIslands.runKey`);
      assert.equal(binding.args?.key, key, 'the command learns which key was pressed');
      const when = binding.when ?? '';
      assert.match(when, /!kernelIslands\.activated/, 'only until activation');
      assert.match(when, /isWorkspaceTrusted/, 'never in Restricted Mode, where the extension does not activate');
      assert.match(when, /!notebookEditorFocused/);
      assert.match(when, /resourceScheme != 'vscode-notebook-cell'/);
      const languages = /editorLangId =~ \/\^\(([^)]*)\)\$\//.exec(when)?.[1]?.split('|');
      assert.deepEqual(languages, defaultLanguages(), 'the languages of the kernelIslands.languages default');
    });
  }

  it('once activated, the run keys test the focused editor’s language and scheme against the extension’s lists', () => {
    const runs = manifest.contributes.keybindings.filter((k) =>
      ['kernelIslands.runSelection', 'kernelIslands.runCellAndAdvance', 'kernelIslands.runCell'].includes(k.command),
    );
    assert.equal(runs.length, 3);
    for (const binding of runs) {
      const when = binding.when ?? '';
      assert.match(when, /editorLangId in kernelIslands\.languages/, binding.command);
      assert.match(when, /resourceScheme in kernelIslands\.runnableSchemes/, binding.command);
    }
  });
});
