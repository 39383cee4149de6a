/**
 * What `npm start` leaves in the checkout (its VS Code state, with the installed extension's bundles) is not linted
 * or format-checked: `npm test` after `npm start` in the same checkout failed lint with 3761 errors in those bundles.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The state folder `npm start` uses when KI_STATE_DIR is not set, read from the script itself. */
function startStateDir(): string {
  const script = readFileSync(path.join(ROOT, 'scripts', 'start.sh'), 'utf8');
  const match = /KI_STATE_DIR:-\$PWD\/([^"}]+)\}/.exec(script);
  assert.ok(match, 'scripts/start.sh names its default state folder as ${KI_STATE_DIR:-$PWD/…}');
  return match[1];
}

describe("lint and format checks skip npm start's state folder", function () {
  this.timeout(30_000);
  const bundle = () =>
    path.join(ROOT, startStateDir(), 'extensions', 'kernelislands.kernel-islands-0.1.0', 'dist', 'extension.js');

  it('ESLint ignores it', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    assert.equal(await eslint.isPathIgnored(bundle()), true);
    assert.equal(await eslint.isPathIgnored(path.join(ROOT, 'src', 'extension.ts')), false, 'src/ is still linted');
  });

  it('Prettier ignores it', async () => {
    // As `prettier --check .` does: both ignore files.
    const ignorePath = [path.join(ROOT, '.gitignore'), path.join(ROOT, '.prettierignore')];
    assert.equal((await prettier.getFileInfo(bundle(), { ignorePath })).ignored, true);
    const src = path.join(ROOT, 'src', 'extension.ts');
    assert.equal((await prettier.getFileInfo(src, { ignorePath })).ignored, false, 'src/ is still checked');
  });
});
