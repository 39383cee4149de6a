import * as vscode from 'vscode';

/**
 * The results webview's page: a strict Content-Security-Policy (no inline script, only our nonce'd bundle,
 * images from data: URIs) and the theme-aware stylesheet from `media/`. HTML outputs are drawn in sandboxed
 * `srcdoc` frames, which inherit this policy, so they never run script; inline styles are allowed for them
 * (pandas tables). Only when `allowScripts` is set may `data:` frames (opaque origin, sandboxed) run script.
 */
export function resultsHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  title: string,
  allowScripts = false,
): string {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', 'results.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'results.css'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(allowScripts ? ['frame-src data:'] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="empty">Nothing has run in this context yet.</div>
<main id="runs" aria-live="polite"></main>
<form id="console" autocomplete="off">
<ul id="completions" role="listbox" aria-label="Completions" hidden></ul>
<textarea id="console-input" rows="1" spellcheck="false" aria-label="Run code in this context"
 placeholder="Run code in this context: Shift+Enter runs, Enter adds a line, ↑/↓ history, Tab completes"></textarea>
</form>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
