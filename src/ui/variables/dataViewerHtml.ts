import type * as vscode from 'vscode';
import { escapeHtml, webviewPage } from '../webviewPage';

/** The data viewer's page (`webviewPage`: strict CSP, only our nonce'd bundle; no inline styles, no images). */
export function dataViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  return webviewPage(webview, extensionUri, {
    script: 'dataViewer.js',
    style: 'dataViewer.css',
    title,
    body: `<header>
<strong>${escapeHtml(title)}</strong>
<span id="summary"></span>
<label>Go to row <input id="goto" type="number" min="0" value="0" aria-label="Go to row"></label>
<span id="status" aria-live="polite"></span>
</header>
<div id="scroller" tabindex="0">
<div id="spacer"></div>
<table id="table"><thead><tr id="head"></tr></thead><tbody id="rows"></tbody></table>
</div>`,
  });
}
