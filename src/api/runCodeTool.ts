import * as vscode from 'vscode';
import { AGENT_CONTEXT_PREFIX } from '../kernels/contextSpec';
import type { AgentLifecycle } from '../kernels/agentLifecycle';
import type { IContextRegistry } from '../kernels/types';
import type { TargetResolver } from './exportedApi';
import { toolResultText } from '../kernels/output/toolResultText';

/** The tool's name in `contributes.languageModelTools`. */
const RUN_CODE_TOOL = 'kernelIslands_runCode';

/** Input of the tool, as its schema in package.json declares it. */
interface RunCodeInput {
  code: string;
  context?: string;
  kernel?: string;
}

/** Agent contexts live under `agent:` so a model can never name (and run code in) a user's editor or notebook. */
function agentContextId(name: string | undefined): string {
  const trimmed = name?.trim();
  if (!trimmed) {
    return `${AGENT_CONTEXT_PREFIX}chat-${crypto.randomUUID().slice(0, 8)}`;
  }
  return trimmed.startsWith(AGENT_CONTEXT_PREFIX) ? trimmed : AGENT_CONTEXT_PREFIX + trimmed;
}

/** A Markdown code fence longer than any backtick run in the code, so the code cannot close it early. */
function fenced(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${code}\n${fence}`;
}

/**
 * The language-model tool: runs code in an isolated kernel of its own context. The stable API gives no way to
 * tell conversations apart (the invocation token is opaque), so the context is a name in the input; without one
 * each call gets a fresh context, whose name the result tells the model so it can continue there.
 */
export class RunCodeTool implements vscode.LanguageModelTool<RunCodeInput> {
  /**
   * Runs go through `agents`, the agent contexts' lifecycle (idle shutdown, cap), which says when a context's
   * variables are gone. `report` is the extension's one error path: a failed interrupt reaches the user and the log
   * through it.
   */
  constructor(
    private readonly registry: IContextRegistry,
    private readonly agents: Pick<AgentLifecycle, 'execute'>,
    private readonly resolve: TargetResolver,
    private readonly report: (err: unknown) => void,
  ) {}

  prepareInvocation(
    options: vscode.LanguageModelToolInvocationPrepareOptions<RunCodeInput>,
  ): vscode.PreparedToolInvocation {
    const { code, context } = options.input;
    const where = context?.trim() ? `\`${agentContextId(context)}\`` : 'a new isolated context';
    return {
      invocationMessage: `Running code in ${context?.trim() ? agentContextId(context) : 'a new kernel'}`,
      confirmationMessages: {
        title: 'Run code in a Jupyter kernel?',
        message: new vscode.MarkdownString(
          `Kernel Islands will run this code in ${where}. It runs with your permissions on the kernel's machine.\n\n${fenced(String(code ?? ''))}`,
        ),
      },
    };
  }

  async invoke(
    options: vscode.LanguageModelToolInvocationOptions<RunCodeInput>,
    token: vscode.CancellationToken,
  ): Promise<vscode.LanguageModelToolResult> {
    const { code, kernel } = options.input;
    if (typeof code !== 'string' || code.trim() === '') {
      throw new Error('The input needs `code`: the code to run, as a string.');
    }
    const id = agentContextId(options.input.context);
    const spec = { ...this.resolve(id), ...(kernel?.trim() ? { kernelName: kernel.trim() } : {}) };
    const cancel = token.onCancellationRequested(() => {
      // A failed interrupt is reported: code that ignores SIGINT keeps the kernel busy (the report offers a
      // restart), and the user should know the cancelled code may still be running.
      void this.registry.interrupt(id).catch((err: unknown) => this.report(err));
    });
    try {
      const { result, notice } = await this.agents.execute(spec, code, { source: 'lm-tool' });
      const kernelName = this.registry.get(id)?.kernelName ?? spec.kernelName ?? 'kernel';
      return new vscode.LanguageModelToolResult([
        new vscode.LanguageModelTextPart(toolResultText(id, kernelName, result, undefined, notice)),
      ]);
    } finally {
      cancel.dispose();
    }
  }
}

/** Registers the tool with VS Code's language-model tool registry. */
export function registerRunCodeTool(
  registry: IContextRegistry,
  agents: Pick<AgentLifecycle, 'execute'>,
  resolve: TargetResolver,
  report: (err: unknown) => void,
): vscode.Disposable {
  return vscode.lm.registerTool(RUN_CODE_TOOL, new RunCodeTool(registry, agents, resolve, report));
}
