/**
 * Untrusted workspace check (`npm run test:e2e` runs it after the harness): code-server with workspace trust on and
 * the folder not trusted (Restricted Mode). Kernel Islands declares `untrustedWorkspaces.supported: false`, so
 * VS Code must keep it disabled: Shift+Enter and the palette run nothing, and no Jupyter process ever starts.
 * Records what the user sees (Restricted Mode indicator, palette, notifications) in artifacts/trust.json.
 *
 * Environment: KI_CODE_SERVER (required), KI_E2E_PRODUCT_VSIX.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openWorkbench, type WorkbenchBrowser } from './lib/browser';
import { installExtensions, startCodeServer, type RunningCodeServer } from './lib/codeServer';
import { findMarkedProcesses } from './lib/processes';
import { RUNNER_ENV } from './lib/report';
import { QUIET_SETTINGS, createRunDir, pickWorkspace } from './lib/runDir';
import { Workbench } from './ui/workbench';

const REPO = resolve(__dirname, '..', '..');
const ARTIFACTS = join(REPO, 'test', 'e2e', 'artifacts');

/** Any Python of this run: the launcher, a Jupyter Server or a kernel would all be one. */
async function pythonProcesses(runId: string): Promise<string[]> {
  return (await findMarkedProcesses(RUNNER_ENV.runId, runId))
    .map((p) => p.command)
    .filter((c) => /python|jupyter|ipykernel|launcher\.py/.test(c));
}

async function check(page: WorkbenchBrowser['page'], runId: string, seen: Record<string, unknown>): Promise<void> {
  const workbench = new Workbench(page, ARTIFACTS);
  const restricted = page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first();
  await restricted.waitFor({ state: 'visible', timeout: 60_000 });
  seen.restrictedModeIndicator = (await restricted.innerText()).trim();
  seen.restrictedModeTooltip = await restricted.getAttribute('aria-label');

  await workbench.openFile('a.py');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.fill('>Kernel Islands');
  await page.waitForTimeout(1500);
  seen.paletteRows = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await workbench.screenshot('trust-palette');
  await page.keyboard.press('Escape');
  // Give anything that might have been triggered time to start a Python process.
  await page.waitForTimeout(5000);
  seen.notifications = await workbench.notifications();
  seen.pythonProcesses = await pythonProcesses(runId);
  await workbench.screenshot('trust-restricted');

  const ours = (seen.paletteRows as string[]).filter((r) => /Kernel Islands/.test(r));
  if (ours.length > 0) {
    throw new Error(`Kernel Islands commands are offered in Restricted Mode: ${ours.join(', ')}`);
  }
  if ((seen.pythonProcesses as string[]).length > 0) {
    throw new Error(`Python started in an untrusted workspace: ${(seen.pythonProcesses as string[]).join('\n')}`);
  }
}

async function main(): Promise<number> {
  const codeServer = process.env.KI_CODE_SERVER;
  const vsix = resolve(process.env.KI_E2E_PRODUCT_VSIX ?? join(REPO, 'dist', 'kernel-islands.vsix'));
  if (!codeServer || !existsSync(codeServer) || !existsSync(vsix)) {
    console.error('trust check: KI_CODE_SERVER and the product vsix are required (run test/e2e/run.sh)');
    return 1;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const runId = randomUUID();
  const env: NodeJS.ProcessEnv = { ...process.env, [RUNNER_ENV.runId]: runId };
  const run = createRunDir({
    workspaceSource: pickWorkspace(REPO),
    settings: {
      ...QUIET_SETTINGS,
      'security.workspace.trust.enabled': true,
      // The folder opens untrusted without the modal question, as after a user answered "No, I don't trust".
      'security.workspace.trust.startupPrompt': 'never',
      'kernelIslands.pythonPath': '/usr/bin/python3',
    },
  });
  const seen: Record<string, unknown> = {};
  let server: RunningCodeServer | undefined;
  let browser: WorkbenchBrowser | undefined;
  let failure: unknown;
  try {
    await installExtensions(codeServer, run, [vsix], env);
    server = await startCodeServer({
      codeServer,
      run,
      env,
      logFile: join(ARTIFACTS, 'trust-code-server.log'),
      workspaceTrust: true,
    });
    browser = await openWorkbench({ url: server.url, env, consoleLog: join(ARTIFACTS, 'trust-browser-console.log') });
    await check(browser.page, runId, seen);
  } catch (err) {
    failure = err;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    run.remove();
  }
  writeFileSync(join(ARTIFACTS, 'trust.json'), JSON.stringify({ ...seen, error: failure && String(failure) }, null, 2));
  const ok = failure === undefined;
  console.log(`trust: ${ok ? 'passed' : `FAILED: ${String(failure)}`}`);
  console.log(`  what the user sees: ${JSON.stringify(seen)}`);
  console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
  return ok ? 0 : 1;
}

void main().then((code) => process.exit(code));
