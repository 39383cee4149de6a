/**
 * What a failed UI test leaves in the report besides its error: what the user would see (the active editor's
 * visible lines, the focused element, the status bar, the open tabs) and the end of each extension host's Kernel
 * Islands log. CI keeps only the report, not the run's sandbox, so this is all a later reader has.
 */
import { readFileSync } from 'node:fs';
import { extensionLogs } from '../lib/extensionLogs';
import type { ConsoleMessage } from 'playwright-core';
import type { Workbench } from './workbench';

const EDITOR_LINES = 12;
const LOG_LINES = 40;

export async function failureDetails(wb: Workbench, logsDir: string | undefined): Promise<string> {
  const parts: string[] = [];
  // A string, not a function: the test runner's transpiler would wrap a function's inner helpers in `__name`.
  const screen = await wb.page.evaluate(SCREEN_SCRIPT).catch((e: unknown) => ({ unreadable: String(e) }));
  parts.push(`screen: ${JSON.stringify(screen)}`);
  parts.push(`context keys of the focused element: ${JSON.stringify(await focusedContextKeys(wb))}`);
  const text = await wb.activeEditorText().catch((e: unknown) => `(unreadable: ${e})`);
  parts.push(`active editor's last visible lines:\n${indent(text.split('\n').slice(-EDITOR_LINES).join('\n'))}`);
  for (const log of extensionLogs(logsDir)) {
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    parts.push(`end of ${log.slice(logsDir?.length ?? 0)}:\n${indent(lines.slice(-LOG_LINES).join('\n'))}`);
  }
  return parts.join('\n');
}

const SCREEN_SCRIPT = `(() => {
  const el = document.activeElement;
  const texts = (selector) => Array.from(document.querySelectorAll(selector)).map((n) => n.innerText.trim());
  return {
    focus: el ? el.tagName + '.' + el.className : 'none',
    tabs: texts('.editor-group-container .tab .label-name'),
    activeTab: texts('.editor-group-container.active .tab.active .label-name'),
    status: texts('.statusbar-item').filter((t) => t.length > 0),
  };
})()`;

/** The context keys our keybindings test (and those that most often turn a key away). */
const KEYS_OF_INTEREST =
  /^(kernelIslands\.|editorLangId$|resourceScheme$|editorTextFocus$|editorReadonly$|notebookEditorFocused$|editorHasSelection$|suggestWidgetVisible$|inSnippetMode$|inlineChatFocused$|findInputFocussed$|replaceInputFocussed$|isWorkspaceTrusted$|inputFocus$|notebookCellListFocused$)/;

/**
 * The workbench's context keys at the focused element, as "Developer: Inspect Context Keys" logs them to the
 * console (its click lands on the element that had the focus before the palette opened).
 */
async function focusedContextKeys(wb: Workbench): Promise<Record<string, unknown> | string> {
  const target = await wb.page.evaluate(
    '(() => { const el = document.activeElement; if (!el) return undefined; el.setAttribute("data-ki-focused", "1"); return true; })()',
  );
  if (!target) {
    return 'nothing has the focus';
  }
  let listener: ((msg: ConsoleMessage) => void) | undefined;
  const logged = new Promise<Record<string, unknown>>((resolve) => {
    listener = (msg: ConsoleMessage) => {
      const [arg] = msg.args();
      void arg
        ?.jsonValue()
        .then((value: unknown) => {
          if (value && typeof value === 'object' && 'editorTextFocus' in value) {
            resolve(value as Record<string, unknown>);
          }
        })
        .catch(() => undefined);
    };
    wb.page.on('console', listener);
  });
  try {
    await wb.runCommand('Developer: Inspect Context Keys');
    // The inspector reads the target of the next mouse down and up (a hidden text area cannot be clicked).
    const focused = wb.page.locator('[data-ki-focused="1"]').first();
    for (const type of ['mousedown', 'mouseup', 'click']) {
      await focused.dispatchEvent(type, undefined, { timeout: 3_000 });
    }
    const all = await Promise.race([logged, wb.page.waitForTimeout(3_000).then(() => undefined)]);
    if (!all) {
      return 'Inspect Context Keys logged nothing';
    }
    return Object.fromEntries(Object.entries(all).filter(([key]) => KEYS_OF_INTEREST.test(key)));
  } catch (err) {
    return `unreadable: ${String(err)}`;
  } finally {
    if (listener) {
      wb.page.off('console', listener);
    }
  }
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
