import * as assert from 'node:assert/strict';
import { resultsHtml } from '../../../src/ui/results/resultsHtml';
import { dataViewerHtml } from '../../../src/ui/variables/dataViewerHtml';
import { escapeHtml, webviewPage } from '../../../src/ui/webviewPage';

const webview = {
  cspSource: 'https://webview.example',
  asWebviewUri: (uri: { path: string }) => `https://webview.example${uri.path}`,
} as never;
const ext = { path: '/ext' } as never;

interface Page {
  html: string;
  csp: Map<string, string[]>;
  nonce: string;
}

function parse(html: string): Page {
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/g)];
  assert.equal(metas.length, 1, 'one policy');
  const csp = new Map(
    metas[0][1].split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as [string, string[]];
    }),
  );
  const scripts = csp.get('script-src') ?? [];
  assert.equal(scripts.length, 1, `script-src is one nonce only: ${scripts.join(' ')}`);
  const nonce = /^'nonce-([A-Za-z0-9+/=]{24})'$/.exec(scripts[0])?.[1];
  assert.ok(nonce, `script-src is a nonce: ${scripts[0]}`);
  return { html, csp, nonce };
}

/** What every page of ours must hold, whatever it opts into. */
function assertStrict(page: Page, bundle: string): void {
  const { html, csp, nonce } = page;
  assert.deepEqual(csp.get('default-src'), ["'none'"]);
  assert.deepEqual(
    [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => [m[1], m[2]]),
    [[` nonce="${nonce}" src="https://webview.example/ext/media/dist/${bundle}"`, '']],
    'one script tag: our bundle, carrying the nonce, with no inline code',
  );
  assert.ok(!/\son[a-z]+\s*=/i.test(html), 'no inline event handlers');
  assert.ok(!/javascript:/i.test(html), 'no javascript: URLs');
  assert.equal(csp.has('connect-src'), false, 'no network');
  const all = [...csp.values()].flat();
  assert.ok(!all.includes("'unsafe-eval'") && !all.includes('*'), all.join(' '));
  assert.ok(!(csp.get('script-src') ?? []).includes("'unsafe-inline'"));
}

describe('webview pages: one builder (webviewPage)', () => {
  it('a strict policy, the nonce on the only script, an escaped title, the body as given', () => {
    const page = parse(
      webviewPage(webview, ext, {
        script: 'x.js',
        style: 'x.css',
        title: '</title><script>alert(1)</script>',
        body: '<p id="b">body</p>',
      }),
    );
    assertStrict(page, 'x.js');
    assert.deepEqual(page.csp.get('style-src'), ['https://webview.example'], 'no inline styles unless asked');
    assert.equal(page.csp.has('img-src'), false, 'no images unless asked');
    assert.equal(page.csp.has('frame-src'), false, 'no frames unless asked');
    assert.ok(page.html.includes('<link rel="stylesheet" href="https://webview.example/ext/media/x.css">'));
    assert.ok(page.html.includes('<title>&#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62;</title>'));
    assert.ok(page.html.includes('<p id="b">body</p>'));
  });

  it('a fresh nonce per page', () => {
    const parts = { script: 'x.js', style: 'x.css', title: 't', body: '' };
    const nonces = new Set(Array.from({ length: 5 }, () => parse(webviewPage(webview, ext, parts)).nonce));
    assert.equal(nonces.size, 5);
  });

  it('escapeHtml escapes the five characters that end text or attributes', () => {
    assert.equal(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;',
    );
  });
});

describe('results webview page (with its console)', () => {
  it('strict, with images from data: and inline styles (pandas tables in srcdoc frames), no frames', () => {
    const page = parse(resultsHtml(webview, ext, 'a.py', false));
    assertStrict(page, 'results.js');
    assert.deepEqual(page.csp.get('img-src'), ['https://webview.example', 'data:']);
    assert.deepEqual(page.csp.get('style-src'), ['https://webview.example', "'unsafe-inline'"]);
    assert.equal(page.csp.has('frame-src'), false, 'no frames may load anything: HTML outputs are srcdoc frames');
    assert.ok(page.html.includes('<textarea id="console-input"'), 'the console is on the page');
  });

  it('data: frames only when scripts are allowed, and an escaped title', () => {
    const a = parse(resultsHtml(webview, ext, '<script>alert(1)</script>', false));
    const b = parse(resultsHtml(webview, ext, 'a.py', true));
    assertStrict(a, 'results.js');
    assertStrict(b, 'results.js');
    assert.ok(!a.html.includes('<script>alert(1)</script>'));
    assert.deepEqual(b.csp.get('frame-src'), ['data:']);
  });
});

describe('data viewer webview page', () => {
  it('strict, no inline styles, no images, the title escaped in the head and the header', () => {
    const page = parse(dataViewerHtml(webview, ext, 'df — <b>a.py</b>'));
    assertStrict(page, 'dataViewer.js');
    assert.deepEqual(page.csp.get('style-src'), ['https://webview.example']);
    assert.equal(page.csp.has('img-src'), false);
    assert.equal(page.csp.has('frame-src'), false);
    assert.ok(!page.html.includes('<b>a.py</b>'));
    assert.ok(page.html.includes('<strong>df — &#60;b&#62;a.py&#60;/b&#62;</strong>'));
    assert.ok(page.html.includes('https://webview.example/ext/media/dataViewer.css'));
  });
});
