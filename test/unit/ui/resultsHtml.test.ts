import * as assert from 'node:assert/strict';
import { requireWithVscodeStub } from '../withVscodeStub';

/** Just enough of `vscode` for the page builder: it only joins URIs. */
const vscodeStub = {
  Uri: { joinPath: (base: { path: string }, ...parts: string[]) => ({ path: [base.path, ...parts].join('/') }) },
};

function loadResultsHtml(): typeof import('../../../src/ui/resultsHtml') {
  return requireWithVscodeStub(require.resolve('../../../src/ui/resultsHtml'), vscodeStub);
}

const webview = {
  cspSource: 'https://webview.example',
  asWebviewUri: (uri: { path: string }) => `https://webview.example${uri.path}`,
};

function page(allowScripts: boolean, title = 'a.py'): { html: string; csp: Map<string, string[]> } {
  const { resultsHtml } = loadResultsHtml();
  const html = resultsHtml(webview as never, { path: '/ext' } as never, title, allowScripts);
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  const csp = new Map(
    content.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
  return { html, csp };
}

describe('results webview page: Content-Security-Policy', () => {
  it('denies everything by default and allows only our nonced script', () => {
    const { html, csp } = page(false);
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    const scripts = csp.get('script-src') ?? [];
    assert.equal(scripts.length, 1);
    const nonce = /^'nonce-([A-Za-z0-9+/=]{24})'$/.exec(scripts[0])?.[1];
    assert.ok(nonce, `script-src is a nonce only: ${scripts.join(' ')}`);
    assert.deepEqual(
      [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]),
      [` nonce="${nonce}" src="https://webview.example/ext/media/dist/results.js"`],
      'one script tag, carrying the nonce',
    );
    assert.equal(csp.has('frame-src'), false, 'no frames may load anything: HTML outputs are srcdoc frames');
    assert.equal(csp.has('connect-src'), false, 'no network');
    assert.deepEqual(csp.get('img-src'), ['https://webview.example', 'data:']);
    assert.ok(![...csp.values()].flat().includes("'unsafe-eval'"));
  });

  it('a fresh nonce per page, an escaped title, and data: frames only when scripts are allowed', () => {
    const a = page(false, '<script>alert(1)</script>');
    const b = page(true);
    assert.notDeepEqual(a.csp.get('script-src'), b.csp.get('script-src'));
    assert.ok(!a.html.includes('<script>alert(1)</script>'));
    assert.deepEqual(b.csp.get('frame-src'), ['data:']);
    assert.deepEqual(b.csp.get('default-src'), ["'none'"]);
  });
});
