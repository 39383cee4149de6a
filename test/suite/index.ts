/**
 * The in-host suite: runs inside a real VS Code extension host, under code-server (the e2e runner extension
 * calls {@link loadSuite}) or under `@vscode/test-electron` (which calls {@link run}). Bundled by
 * `node esbuild.mjs --suite` into `out/test/suite/index.js`.
 */
import Mocha from 'mocha';
import { activationTests } from './activation.test';
import { agentLifecycleTests } from './agentLifecycle.test';
import { agentTests } from './agents.test';
import { agentSandboxTests } from './agentSandbox.test';
import { apiTests } from './api.test';
import { cellTests } from './cells.test';
import { contextKindTests } from './contextKinds.test';
import { cycleTests } from './cycles.test';
import { debugTests } from './debug.test';
import { editorTests } from './editors.test';
import { environmentTests } from './environments.test';
import { interruptOfferTests } from './interruptOffer.test';
import { jupyterHubTests } from './jupyterHub.test';
import { mcpInVsCodeTests } from './mcpInVsCode.test';
import { notebookLifecycleTests } from './notebookLifecycle.test';
import { notebookTests } from './notebook.test';
import { remoteServerTests } from './remoteServer.test';
import { notebookScaleTests } from './notebookScale.test';
import { reliabilityTests } from './reliability.test';
import { shutdownAllTests } from './shutdownAll.test';
import { statementTests } from './statements.test';

/** Registers every suite on `mocha` (TDD interface). Activation first: it must see a host where nothing ran yet. */
export function loadSuite(mocha: Mocha): void {
  mocha.suite.emit('pre-require', globalThis, 'kernel-islands-suite', mocha);
  activationTests();
  editorTests();
  statementTests();
  cellTests();
  debugTests();
  apiTests();
  reliabilityTests();
  cycleTests();
  agentTests();
  agentLifecycleTests();
  agentSandboxTests();
  mcpInVsCodeTests();
  remoteServerTests();
  jupyterHubTests();
  notebookTests();
  notebookLifecycleTests();
  notebookScaleTests();
  contextKindTests();
  interruptOfferTests();
  environmentTests();
  // Last: it shuts every context down.
  shutdownAllTests();
}

/** Entry point for `@vscode/test-electron` (`extensionTestsPath`): rejects when any test fails. */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: 90_000 });
  loadSuite(mocha);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) {
    throw new Error(`${failures} in-host test(s) failed`);
  }
}
