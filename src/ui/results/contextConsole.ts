import type { ContextSpecBuilder } from '../../workbench/contextSpecBuilder';
import type { StdinPrompt } from '../../workbench/stdinPrompt';
import type { AgentLifecycle } from '../../kernels/agentLifecycle';
import type { CompletionResult } from '../../kernels/session/completion';
import type { IContextRegistry } from '../../kernels/types';
import type { ConsoleHistory } from './consoleHistory';

/** A completion that takes longer than this (a busy kernel answers after its run) shows nothing. */
const COMPLETE_TIMEOUT_MS = 1500;

/** What the consoles are built from. */
interface ContextConsoleOptions {
  registry: IContextRegistry;
  /** Agent contexts run through their lifecycle (idle clock, cap), as the agent's own calls do. */
  agents: Pick<AgentLifecycle, 'execute'>;
  contexts: ContextSpecBuilder;
  history: ConsoleHistory;
  stdin: StdinPrompt;
}

/**
 * The input line of each context's results panel: runs go through the context's FIFO like any other run (source
 * `console`, so the panel shows them as it shows editor runs), each run joins the context's history, and Tab asks
 * the context's live kernel for completions.
 */
export class ContextConsole {
  constructor(private readonly options: ContextConsoleOptions) {}

  /** Runs `code` in the context; resolves when the run ended (its outputs reach the panel through the registry). */
  async run(contextId: string, code: string): Promise<void> {
    const { registry, agents, contexts, history, stdin } = this.options;
    const saved = history.add(contextId, code);
    const spec = contexts.forTarget(contextId);
    const options = { source: 'console', onStdin: stdin };
    await (spec.kind === 'agent' ? agents.execute(spec, code, options) : registry.execute(spec, code, options));
    await saved;
  }

  /** The kernel's completions, or none when it has no live kernel or does not answer in time. */
  async complete(contextId: string, code: string, cursor: number): Promise<CompletionResult> {
    const none: CompletionResult = { matches: [], start: cursor, end: cursor };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), COMPLETE_TIMEOUT_MS)),
    );
    try {
      return (await Promise.race([this.options.registry.complete(contextId, code, cursor), late])) ?? none;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The context's console history, oldest first. */
  history(contextId: string): readonly string[] {
    return this.options.history.entries(contextId);
  }

  /** A context took a new id: its history follows. */
  moved(oldId: string, newId: string): Promise<void> {
    return this.options.history.move(oldId, newId);
  }
}
