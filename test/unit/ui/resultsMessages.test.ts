import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RESULTS_HOST_MESSAGE_TYPES, RESULTS_PAGE_MESSAGE_TYPES } from '../../../src/ui/results/resultsMessages';

const UI = path.resolve(__dirname, '..', '..', '..', 'src', 'ui');
const source = (file: string) => readFileSync(path.join(UI, file), 'utf8');

/** The first capture of each match of `pattern` in `text`, sorted, each once. */
function captures(text: string, pattern: RegExp): string[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => m[1]))].sort();
}

/** The text of `function name(…) {…}` in `text`: up to the first line that is just `}`. */
function functionBody(text: string, name: string): string {
  const start = text.indexOf(`function ${name}(`);
  assert.ok(start >= 0, `function ${name} is in the file`);
  return text.slice(start, text.indexOf('\n}\n', start));
}

/** `post({ type: 'x', … })` and `postMessage({ type: 'x', … })`, over lines too. */
const SENT = /\.post(?:Message)?\(\{\s*type: '(\w+)'/g;

/**
 * The results webview's messages (`ui/results/resultsMessages`): the compiler checks that both sides send only what the
 * unions hold and that both handlers have a case for each; these check the rest, from the sources: that every
 * message of each union is sent at all, and that nothing is handled that is never sent (as `remove` was).
 */
describe('results webview messages (ui/results/resultsMessages)', () => {
  const panel = source('results/resultsPanel.ts');
  const page = source('webview/results.ts');
  const consoleInput = source('webview/consoleInput.ts');

  it('the host sends every host message type, and the page handles each of them, no more', () => {
    const hostTypes = [...RESULTS_HOST_MESSAGE_TYPES].sort();
    assert.deepEqual(captures(panel, SENT), hostTypes, 'sent by resultsPanel');
    assert.deepEqual(captures(functionBody(page, 'onHostMessage'), /case '(\w+)':/g), hostTypes, 'handled by the page');
  });

  it('the page sends every page message type, and the host handles each of them, no more', () => {
    const pageTypes = [...RESULTS_PAGE_MESSAGE_TYPES].sort();
    assert.deepEqual(captures(page + consoleInput, SENT), pageTypes, 'sent by webview/results and consoleInput');
    const handled = captures(panel, /(?:msg\??\.type === |case )'(\w+)'/g);
    assert.deepEqual(handled, pageTypes, 'handled by resultsPanel');
  });

  it('the host reaches the page only through its typed post()', () => {
    assert.equal(panel.match(/\.postMessage\(/g)?.length, 1, 'one webview.postMessage call, in post()');
    assert.match(
      panel,
      /post\(message: ResultsHostMessage\): void \{\s*void this\.panel\.webview\.postMessage\(message\);/,
    );
  });
});
