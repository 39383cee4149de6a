import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod/v4';
import type { KernelSpecListing } from '../kernels/kernelSpecs';
import { toolResultImages, toolResultText } from '../kernels/output/toolResultText';
import type { McpPlacement } from './mcpEngine';
import { contextName, type McpIsland } from './mcpIslands';
import { listWorkFiles, MAX_FILE_BYTES, readWorkFile, writeWorkFile } from './workFiles';

/** What the MCP server says it is. */
const MCP_SERVER_INFO = { name: 'kernel-islands', version: '0.1.0' };

const ISLANDS =
  'Kernel Islands runs code in Jupyter kernels that belong to this MCP session only. Each `context` name is one ' +
  'interpreter: variables and imports persist between run_code calls with the same context (default "main"); ' +
  'other sessions, editors and notebooks never share them. ';

/** What the agent is told at initialize: the islands, and where and how isolated its kernels run. */
function instructions(placement: McpPlacement | undefined): string {
  if (placement?.remote) {
    return (
      ISLANDS +
      `Every context runs on ${placement.description}. The file tools do not reach that server's files: ` +
      'use run_code. Closing the session shuts its kernels down there.'
    );
  }
  return (
    ISLANDS +
    'Each context runs sandboxed: no network, the project read-only, and a private work folder (its current ' +
    'directory) that list_files, read_file and write_file reach. Closing the session shuts its kernels down and ' +
    'removes their work folders.'
  );
}

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
  const { placement } = island;
  const server = new McpServer(MCP_SERVER_INFO, { instructions: instructions(placement) });
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
      description: "Lists this session's interpreters: name, kernel, the server it runs on, state, runs.",
    },
    async () => {
      const contexts = island.contexts();
      if (contexts.length === 0) {
        const where = placement?.remote ? ` Contexts run on ${placement.description}.` : '';
        return text(`No contexts yet. run_code starts one (context "main" by default).${where}`);
      }
      const shared = new Map(island.shares().map((s) => [s.name, s.targetId]));
      return text(
        contexts
          .map((c) => {
            const where = c.sandboxed
              ? `sandboxed, work folder ${island.workFolderOf(c.kernelId) ?? 'not known yet'}`
              : placement?.remote
                ? 'isolated by that server, not by a local sandbox'
                : 'not sandboxed';
            const line = `${c.name}: kernel ${c.kernelName} (id ${c.kernelId || 'not started'}) on server ${c.server}, ${c.state}, execution count ${c.executionCount ?? 0}, ${where}`;
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

  registerFileTools(server, island, contextArg);

  server.registerTool(
    'list_kernelspecs',
    { title: 'List kernelspecs', description: 'Lists the kernelspecs run_code can start (its `kernel` argument).' },
    async () => {
      const listing = await listSpecs();
      const lines = listing.choices.map((s) => `${s.name}: ${s.displayName} (${s.language}) on server ${s.server}`);
      if (placement?.remote) {
        lines.unshift(`Every context runs on ${placement.description}.`);
      }
      for (const u of listing.unavailable) {
        lines.push(`(server ${u.server} could not be asked: ${u.reason})`);
      }
      return text(lines.join('\n') || 'No kernelspecs found. Install one, e.g. `python3 -m ipykernel install --user`.');
    },
  );
  return server;
}

/**
 * list_files, read_file and write_file: the agent's way to move files in and out of a context's work folder (its
 * kernel's cwd and HOME in the sandbox). Paths are relative to that folder; `..`, absolute paths and links that
 * lead out are refused (`workFiles`).
 */
function registerFileTools(server: McpServer, island: McpIsland, contextArg: z.ZodString): void {
  const pathArg = z.string().describe('A path relative to the context\'s work folder, e.g. "data/input.csv".');
  const encodingArg = z
    .enum(['text', 'base64'])
    .optional()
    .describe('"text" (UTF-8, the default) or "base64" for binary files.');
  const cap = `${MAX_FILE_BYTES / (1024 * 1024)} MB`;
  server.registerTool(
    'list_files',
    {
      title: "List a context's work folder",
      description: "Lists the files in a context's work folder (its current directory), or in a folder inside it.",
      inputSchema: { context: contextArg.optional(), path: pathArg.optional() },
    },
    async ({ context, path }) => {
      const root = await island.workFolder(contextName(context));
      const { entries, truncated } = await listWorkFiles(root, path ?? '');
      const lines = entries.map((e) => (e.type === 'file' ? `${e.path} (${e.size} bytes)` : `${e.path} (${e.type})`));
      if (truncated) {
        lines.push('(more entries left out: list a subfolder)');
      }
      return text(lines.join('\n') || 'The work folder is empty.');
    },
  );
  server.registerTool(
    'read_file',
    {
      title: "Read a file from a context's work folder",
      description: `Reads a file (at most ${cap}) from a context's work folder: UTF-8 text, or base64 for binary files.`,
      inputSchema: { context: contextArg.optional(), path: pathArg, encoding: encodingArg },
    },
    async ({ context, path, encoding }) => {
      const root = await island.workFolder(contextName(context));
      return text((await readWorkFile(root, path, encoding ?? 'text')).content);
    },
  );
  server.registerTool(
    'write_file',
    {
      title: "Write a file into a context's work folder",
      description: `Writes a file (at most ${cap}) into a context's work folder, creating folders as needed, for the context's code to read.`,
      inputSchema: {
        context: contextArg.optional(),
        path: pathArg,
        content: z.string().describe('The file content: text, or base64 with encoding "base64".'),
        encoding: encodingArg,
      },
    },
    async ({ context, path, content, encoding }) => {
      const root = await island.workFolder(contextName(context));
      const written = await writeWorkFile(root, path, content, encoding ?? 'text');
      return text(`Wrote ${written.size} bytes to ${written.path}.`);
    },
  );
}
