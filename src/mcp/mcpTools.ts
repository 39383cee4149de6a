import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import type { KernelSpecListing } from '../kernels/kernelSpecs';
import { toolResultImages, toolResultText } from '../kernels/toolResultText';
import { contextName, type McpIsland } from './mcpIslands';

/** What the MCP server says it is. */
export const MCP_SERVER_INFO = { name: 'kernel-islands', version: '0.1.0' };

const INSTRUCTIONS =
  'Kernel Islands runs code in Jupyter kernels that belong to this MCP session only. Each `context` name is one ' +
  'interpreter: variables and imports persist between run_code calls with the same context (default "main"); ' +
  'other sessions, editors and notebooks never share them. Closing the session shuts its kernels down.';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** The run_code result: the LM tool's text (with any notice first), then images as MCP image content. */
function runResult(
  name: string,
  kernelName: string,
  result: Parameters<typeof toolResultText>[2],
  notice?: string,
): CallToolResult {
  const { images, leftOut } = toolResultImages(result);
  let body = toolResultText(name, kernelName, result, 'images follow as image content', notice);
  if (leftOut > 0) {
    body += `\n(${leftOut} image${leftOut === 1 ? '' : 's'} left out: too many or too large)`;
  }
  return {
    content: [{ type: 'text', text: body }, ...images.map((i) => ({ type: 'image' as const, ...i }))],
  };
}

/**
 * The MCP server of one session: its tools reach only `island`'s contexts. `listSpecs` lists the kernelspecs
 * the session's contexts may start.
 */
export function createMcpServer(island: McpIsland, listSpecs: () => Promise<KernelSpecListing>): McpServer {
  const server = new McpServer(MCP_SERVER_INFO, { instructions: INSTRUCTIONS });
  const contextArg = z.string().describe('Name of one of this session\'s interpreters, e.g. "main" or "analysis".');

  server.registerTool(
    'run_code',
    {
      title: 'Run code in an isolated kernel',
      description:
        'Runs code in this session\'s Jupyter kernel named by `context` (default "main"; Python unless `kernel` ' +
        'names another kernelspec). Returns printed text, the value of the last expression, errors with the end ' +
        'of their traceback, and images. Long output keeps its start and end with a note saying how much was left out.',
      inputSchema: {
        code: z.string().describe('The code to run.'),
        context: contextArg.optional(),
        kernel: z
          .string()
          .optional()
          .describe('Kernelspec for a new context, e.g. "python3" (see list_kernelspecs). Default: python3.'),
      },
    },
    async ({ code, context, kernel }) => {
      if (code.trim() === '') {
        throw new Error('`code` is empty: pass the code to run, as a string.');
      }
      const name = contextName(context);
      const run = await island.run(name, code, kernel?.trim() || undefined);
      return runResult(name, run.kernelName, run.result, run.notice);
    },
  );

  server.registerTool(
    'list_contexts',
    {
      title: "List this session's contexts",
      description: "Lists this session's interpreters: name, kernel, state, runs.",
    },
    async () => {
      const contexts = island.contexts();
      if (contexts.length === 0) {
        return text('No contexts yet. run_code starts one (context "main" by default).');
      }
      const shared = new Map(island.shares().map((s) => [s.name, s.targetId]));
      return text(
        contexts
          .map((c) => {
            const line = `${c.name}: kernel ${c.kernelName} (id ${c.kernelId || 'not started'}), ${c.state}, execution count ${c.executionCount ?? 0}`;
            const target = shared.get(c.name);
            return target ? `${line}; shared by the user: the kernel of ${target}, with the user's variables` : line;
          })
          .join('\n'),
      );
    },
  );

  const lifecycleTool = (
    toolName: string,
    title: string,
    description: string,
    act: (name: string) => Promise<void>,
    done: (name: string) => string,
  ) =>
    server.registerTool(toolName, { title, description, inputSchema: { context: contextArg } }, async ({ context }) => {
      const name = contextName(context);
      await act(name);
      return text(done(name));
    });
  lifecycleTool(
    'interrupt',
    'Interrupt a context',
    'Interrupts the code running in a context (like Ctrl+C); its variables stay.',
    (name) => island.interrupt(name),
    (name) => `Interrupted context "${name}"; it is idle and keeps its variables.`,
  );
  lifecycleTool(
    'restart',
    'Restart a context',
    "Restarts a context's kernel: its variables are gone, the context stays.",
    (name) => island.restart(name),
    (name) => `Restarted context "${name}": it runs a fresh interpreter.`,
  );
  lifecycleTool(
    'shutdown',
    'Shut a context down',
    "Shuts a context's kernel down and forgets the context.",
    (name) => island.shutdown(name),
    (name) => `Shut down context "${name}".`,
  );

  server.registerTool(
    'list_kernelspecs',
    { title: 'List kernelspecs', description: 'Lists the kernelspecs run_code can start (its `kernel` argument).' },
    async () => {
      const listing = await listSpecs();
      const lines = listing.choices.map((s) => `${s.name}: ${s.displayName} (${s.language})`);
      for (const u of listing.unavailable) {
        lines.push(`(server ${u.server} could not be asked: ${u.reason})`);
      }
      return text(lines.join('\n') || 'No kernelspecs found. Install one, e.g. `python3 -m ipykernel install --user`.');
    },
  );
  return server;
}
