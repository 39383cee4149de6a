// Browser-side drawing of the rich outputs that need more than a <pre>: sandboxed HTML and JSON.

/**
 * A text/html output in a sandboxed frame. Without scripts: `srcdoc` with `allow-same-origin` only, so the frame
 * inherits the panel's Content-Security-Policy (no script can run) and the panel can size it to its content.
 * With scripts allowed (setting): an opaque-origin `data:` frame with `allow-scripts` only, which can never
 * reach the panel or VS Code; it cannot be measured, so it is resizable.
 */
export function htmlFrame(html: string, allowScripts: boolean): HTMLElement {
  const frame = document.createElement('iframe');
  frame.className = 'output html';
  frame.title = 'HTML output';
  if (allowScripts) {
    frame.setAttribute('sandbox', 'allow-scripts');
    const bytes = new TextEncoder().encode(html);
    let binary = '';
    bytes.forEach((b) => (binary += String.fromCharCode(b)));
    frame.src = `data:text/html;charset=utf-8;base64,${btoa(binary)}`;
    frame.classList.add('resizable');
    return frame;
  }
  frame.setAttribute('sandbox', 'allow-same-origin');
  frame.srcdoc = `<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:sans-serif;font-size:13px;color:${getComputedStyle(document.body).color}}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #8884}</style></head><body>${html}</body></html>`;
  frame.addEventListener('load', () => {
    const body = frame.contentDocument?.body;
    if (body) {
      frame.style.height = `${Math.min(body.scrollHeight + 8, 2000)}px`;
    }
  });
  return frame;
}

/** application/json, pretty-printed. */
export function jsonBlock(text: string): HTMLElement {
  const pre = document.createElement('pre');
  pre.className = 'output json';
  pre.textContent = text;
  return pre;
}
