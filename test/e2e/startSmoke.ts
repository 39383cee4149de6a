/**
 * Smoke test of `npm start` itself, as a newcomer runs it (`npm run test:e2e` runs it after the harness): the
 * README's product line on a free port (KI_PORT) with a fresh state folder (KI_STATE_DIR). It waits for the printed
 * URL, opens it in headless chromium, opens a.py, presses Shift+Enter on
 * `x = 1` and on `print(x)`, and waits for `1` in the results panel (screenshot: artifacts/start-smoke.png). Then it
 * stops `npm start` as a user does (Ctrl+C: SIGINT to its process group) and checks that no code-server, Jupyter
 * Server or kernel process of it is left once the reload grace period has passed.
 *
 * Prints its own `N passed, N failed`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openWorkbench, type WorkbenchBrowser } from './lib/browser';
import { freePort, waitForHttp } from './lib/codeServer';
import { describe, Outcomes } from './lib/outcomes';
import { findMarkedProcesses, signalAll, waitUntilGone, type MarkedProcess } from './lib/processes';
import { failureDetails } from './ui/failureReport';
import { Workbench } from './ui/workbench';

const REPO = resolve(__dirname, '..', '..');
const ARTIFACTS = join(REPO, 'test', 'e2e', 'artifacts');
/** Environment marker inherited by everything `npm start` starts, so leftovers are found by it. */
const MARKER = 'KI_START_SMOKE_RUN';
/** The product's default `kernelIslands.reloadGraceSeconds`: the server outlives its window by this much. */
const RELOAD_GRACE_MS = 30_000;
/** `npm start` runs the set-up check and builds the vsix before it prints the URL. */
const URL_TIMEOUT_MS = 10 * 60_000;

interface Started {
  child: ChildProcess;
  url: Promise<string>;
  exited: Promise<number | null>;
}

function startProduct(port: number, stateDir: string, runId: string, logFile: string): Started {
  const env = { ...process.env, KI_PORT: String(port), KI_STATE_DIR: stateDir, [MARKER]: runId };
  // detached: its own process group, as in a terminal, so Ctrl+C can be sent to all of it.
  const child = spawn('npm', ['start'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = new Promise<string>((done, fail) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      seen += chunk.toString();
      const match = /open (http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(seen);
      if (match) {
        done(match[1]);
      }
    });
    void exited.then((code) => fail(new Error(`npm start exited (${code}) before printing a URL; see ${logFile}`)));
    setTimeout(() => fail(new Error(`npm start printed no URL within ${URL_TIMEOUT_MS} ms`)), URL_TIMEOUT_MS).unref();
  });
  return { child, url, exited };
}

/** Opens a.py, runs `x = 1` and `print(x)` with Shift+Enter, and waits for `1` as printed output. */
async function runTwoLines(wb: Workbench): Promise<void> {
  // A newcomer's first look: the window is up with Kernel Islands in it (its keys exist from then on).
  await wb.waitForExtension();
  await wb.openFile('a.py');
  const text = await wb.activeEditorText();
  const lines = text.split('\n');
  const xLine = lines.findIndex((l) => l.trim() === 'x = 1') + 1;
  if (xLine === 0 || lines[xLine]?.trim() !== 'print(x)') {
    throw new Error(`demo/a.py should hold "x = 1" followed by "print(x)"; the editor shows:\n${text}`);
  }
  await wb.press('Control+G');
  await wb.type(String(xLine));
  await wb.press('Enter');
  await wb.runLineAndAdvance();
  await wb.runLineAndAdvance();
  const panel = await wb.waitForWebviewText('1', 120_000);
  // Exactly the printed line, in a stdout block (not, say, the `x = 1` code or an execution count).
  await panel
    .locator('pre.output.stream.stdout')
    .filter({ hasText: /^\s*1\s*$/ })
    .first()
    .waitFor({ state: 'visible', timeout: 15_000 });
}

function describeAll(list: MarkedProcess[]): string {
  return list.map((p) => `${p.pid} ${p.command.slice(0, 160)}`).join('\n');
}

async function main(): Promise<number> {
  const started = Date.now();
  const outcomes = new Outcomes();
  mkdirSync(ARTIFACTS, { recursive: true });
  const runId = randomUUID();
  const demoFile = join(REPO, 'demo', 'a.py');
  const demoBefore = readFileSync(demoFile, 'utf8');
  const stateDir = mkdtempSync(join(tmpdir(), 'ki-start-smoke-'));
  const port = await freePort();
  const product = startProduct(port, stateDir, runId, join(ARTIFACTS, 'start-smoke-npm-start.log'));
  let browser: WorkbenchBrowser | undefined;
  let seenWhileRunning: MarkedProcess[] = [];
  try {
    let url = '';
    await outcomes.check(`npm start (KI_PORT=${port}, fresh KI_STATE_DIR) prints the URL, which answers`, async () => {
      url = await product.url;
      if (!url.startsWith(`http://127.0.0.1:${port}/`)) {
        throw new Error(`printed ${url}, not on KI_PORT ${port}`);
      }
      // The URL is printed just before code-server starts: wait until it answers.
      await waitForHttp(url, 60_000);
    });
    if (url) {
      await outcomes.check(
        'in the browser: a.py, Shift+Enter on x = 1 and print(x) shows 1 in the results panel',
        async () => {
          browser = await openWorkbench({
            url,
            env: { ...process.env, [MARKER]: runId },
            consoleLog: join(ARTIFACTS, 'start-smoke-browser-console.log'),
          });
          const wb = new Workbench(browser.page, ARTIFACTS);
          try {
            await runTwoLines(wb);
          } catch (err) {
            // What the user saw and the extension's log: the state folder goes at the end of the run.
            const details = await failureDetails(wb, join(stateDir, 'user-data', 'logs'));
            throw new Error(`${describe(err)}\n${details}`);
          } finally {
            await wb.screenshot('start-smoke');
            seenWhileRunning = await findMarkedProcesses(MARKER, runId);
          }
        },
      );
      await outcomes.check(
        'while it runs: code-server, a Jupyter Server and a kernel of npm start are up',
        async () => {
          const all = describeAll(seenWhileRunning);
          for (const [what, pattern] of [
            ['code-server', /code-server/],
            ['the Jupyter Server (launcher)', /launcher\.py|jupyter/],
            ['a kernel', /ipykernel_launcher/],
          ] as const) {
            if (!seenWhileRunning.some((p) => pattern.test(p.command))) {
              throw new Error(`no ${what} among the processes of npm start:\n${all}`);
            }
          }
        },
      );
    }
  } finally {
    await browser?.close().catch(() => undefined);
    // Ctrl+C in the terminal: SIGINT to the whole foreground process group.
    signalAll([-(product.child.pid ?? 0)], 'SIGINT');
    await outcomes.check('Ctrl+C stops npm start; no code-server, Jupyter Server or kernel of it is left', async () => {
      const left = await waitUntilGone(seenWhileRunning, MARKER, runId, RELOAD_GRACE_MS + 20_000);
      if (left.length > 0) {
        signalAll(
          left.map((p) => p.pid),
          'SIGKILL',
        );
        throw new Error(`still running ${RELOAD_GRACE_MS / 1000 + 20} s after Ctrl+C:\n${describeAll(left)}`);
      }
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        throw new Error(`port ${port} still answers`);
      } catch (err) {
        if (String(err).includes('still answers')) {
          throw err;
        }
      }
    });
    const logs = join(stateDir, 'user-data', 'logs');
    if (existsSync(logs)) {
      cpSync(logs, join(ARTIFACTS, 'start-smoke-vscode-logs'), { recursive: true, force: true });
    }
    rmSync(stateDir, { recursive: true, force: true });
    await outcomes.check('running lines leaves demo/a.py as it was on disk', async () => {
      if (readFileSync(demoFile, 'utf8') !== demoBefore) {
        writeFileSync(demoFile, demoBefore);
        throw new Error('demo/a.py changed on disk during the run (restored)');
      }
    });
  }
  outcomes.printSummary(Date.now() - started);
  return outcomes.failed === 0 && outcomes.passed > 0 ? 0 : 1;
}

void main().then((code) => process.exit(code));
