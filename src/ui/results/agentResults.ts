import * as vscode from 'vscode';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar } from '../../workbench/reportedCommands';
import { isDocumentKind } from '../../kernels/contextSpec';
import { serverKernelLabel } from '../../python/pythonEnvironment';
import type { IContextRegistry } from '../../kernels/types';
import type { ResultsPanels } from './resultsPanel';

/**
 * "Show Agent Context Results…": lets a person see what an agent ran. Picks among the free-standing contexts
 * (or takes the id from a script) and opens that context's results panel.
 */
async function showAgentResults(registry: IContextRegistry, panels: ResultsPanels, scripted?: string): Promise<void> {
  if (scripted !== undefined) {
    if (!registry.get(scripted)) {
      throw new Error(`No context "${scripted}".`);
    }
    panels.show(scripted, false);
    return;
  }
  // Contexts named by a string (an agent, the LM tool, an API caller) rather than by a document.
  const agents = registry.list().filter((c) => !isDocumentKind(c.kind));
  if (agents.length === 0) {
    void vscode.window.showInformationMessage('Kernel Islands: no agent or API context has run code yet.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    agents.map((c) => ({
      id: c.id,
      label: c.id,
      description: `${serverKernelLabel(c)} · ${c.state}`,
      detail: c.executionCount !== null ? `${c.executionCount} runs` : 'no runs yet',
    })),
    { title: 'Kernel Islands: show the results of which agent context?' },
  );
  if (picked) {
    panels.show(picked.id, false);
  }
}

/** Registers "Show Agent Context Results…"; a scripted call (with a context id) rejects on failure too. */
export function registerAgentResultsCommand(
  registry: IContextRegistry,
  panels: ResultsPanels,
  report: ErrorReporter,
): vscode.Disposable {
  return commandRegistrar(report)(
    'kernelIslands.showAgentResults',
    (id?: unknown) => showAgentResults(registry, panels, typeof id === 'string' ? id : undefined),
    { rejectsWhen: (id?: unknown) => typeof id === 'string' },
  );
}
