import * as vscode from 'vscode';

/** What one webview page of ours is made of; everything else (CSP, nonce, head) is the same for all of them. */
interface WebviewPageParts {
  /** The page's script bundle under `media/dist/` (e.g. `results.js`), the only script the page may run. */
  script: string;
  /** Its stylesheet under `media/` (e.g. `results.css`). */
  style: string;
  /** The document title (escaped here). */
  title: string;
  /** The `<body>` markup before the script tag: trusted markup of ours; escape any text in it with {@link escapeHtml}. */
  body: string;
  /** `style="…"` attributes and `<style>` elements may apply (pandas tables in the results' srcdoc frames). */
  inlineStyles?: boolean;
  /** Images from `data:` URIs (plots). */
  dataImages?: boolean;
  /** Frames may load `data:` URIs (sandboxed, opaque origin): only when the user allowed output scripts. */
  dataFrames?: boolean;
}

/**
 * The one builder of our webview pages (results panel with its console, data viewer): a strict
 * Content-Security-Policy that denies everything by default, runs only the page's own bundle through a fresh
 * per-page nonce (no inline script, no eval, no network), and loads styles, fonts and images only from the
 * extension's `media/` folder, plus what {@link WebviewPageParts} opts into.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, parts: WebviewPageParts): string {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', parts.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', parts.style));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}${parts.inlineStyles ? " 'unsafe-inline'" : ''}`,
    ...(parts.dataImages ? [`img-src ${webview.cspSource} data:`] : []),
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    ...(parts.dataFrames ? ['frame-src data:'] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${escapeHtml(parts.title)}</title>
</head>
<body>
${parts.body}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
