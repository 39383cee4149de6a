import type * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';

/**
 * The results webview's page (`webviewPage`: strict CSP, only our nonce'd bundle) with the theme-aware stylesheet
 * from `media/` and images from data: URIs. HTML outputs are drawn in sandboxed `srcdoc` frames, which inherit this
 * policy, so they never run script; inline styles are allowed for them (pandas tables). Only when `allowScripts`
 * is set may `data:` frames (opaque origin, sandboxed) run script.
 */
export function resultsHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  title: string,
  allowScripts = false,
): string {
  return webviewPage(webview, extensionUri, {
    script: 'results.js',
    style: 'results.css',
    title,
    inlineStyles: true,
    dataImages: true,
    dataFrames: allowScripts,
    body: `<div id="empty">Nothing has run in this context yet.</div>
<main id="runs" aria-live="polite"></main>
<form id="console" autocomplete="off">
<ul id="completions" role="listbox" aria-label="Completions" hidden></ul>
<textarea id="console-input" rows="1" spellcheck="false" aria-label="Run code in this context"
 placeholder="Run code in this context: Shift+Enter runs, Enter adds a line, ↑/↓ history, Tab completes"></textarea>
</form>`,
  });
}
