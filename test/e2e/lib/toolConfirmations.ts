/**
 * Answers the language-model tool's confirmation dialog as a user would, while the in-host suite runs. Outside a
 * chat, VS Code asks before `vscode.lm.invokeTool` runs a tool with confirmation messages, in a modal dialog only a
 * person (or this) can answer. Only dialogs with the tool's own title are pressed, so any other dialog still fails
 * the test that caused it.
 */
import type { Page } from 'playwright-core';

/** The title of Kernel Islands' tool confirmation (src/api/runCodeTool.ts, `confirmationMessages.title`). */
export const TOOL_CONFIRMATION_TITLE = 'Run code in a Jupyter kernel?';

const POLL_MS = 150;

export interface ConfirmationAnswerer {
  /** Stops watching; resolves with how many dialogs were confirmed. */
  stop(): Promise<number>;
}

/** Presses the primary button of every tool confirmation dialog that appears until `stop`. */
export function answerToolConfirmations(page: Page): ConfirmationAnswerer {
  let stopped = false;
  let confirmed = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const dialog = page.locator('.monaco-dialog-box', { hasText: TOOL_CONFIRMATION_TITLE });
        if ((await dialog.count()) > 0) {
          const buttons = dialog.first().locator('.dialog-buttons .monaco-button');
          const labels = await buttons.allInnerTexts();
          const primary = labels.findIndex((l) => /^(Yes|OK|Continue|Allow)$/i.test(l.trim()));
          await buttons.nth(primary < 0 ? 0 : primary).click({ timeout: 2000 });
          confirmed++;
          if (confirmed === 1) {
            console.log(`  [harness] answering tool confirmations (buttons: ${labels.join(' | ')})`);
          }
        }
      } catch {
        // The dialog closed or the page is reloading: look again on the next round.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return confirmed;
    },
  };
}
