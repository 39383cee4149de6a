import * as assert from 'node:assert/strict';
import { hoverMarkdown } from '../../../src/editor/inspectHoverText';

describe('the hover text of a kernel inspect answer', () => {
  it('is the plain text without colours, in a code block', () => {
    const text = '\x1b[0;31mSignature:\x1b[0m greet(name)\n\x1b[0;31mDocstring:\x1b[0m Says hello.\n';
    assert.equal(
      hoverMarkdown({ found: true, data: { 'text/plain': text } }),
      '```text\nSignature: greet(name)\nDocstring: Says hello.\n```',
    );
  });

  it('fences with more backticks than the text holds', () => {
    assert.equal(hoverMarkdown({ found: true, data: { 'text/plain': 'a ```` b' } }), '`````text\na ```` b\n`````');
  });

  it('is empty when the kernel found nothing or sent no text', () => {
    assert.equal(hoverMarkdown({ found: false, data: {} }), '');
    assert.equal(hoverMarkdown({ found: true, data: { 'text/html': '<b>x</b>' } }), '');
    assert.equal(hoverMarkdown({ found: true, data: { 'text/plain': '  \n' } }), '');
  });
});
