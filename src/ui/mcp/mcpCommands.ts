// The user's commands around the in-VS-Code MCP server: hand its address to another MCP client, and share an
// editor's or a notebook's kernel with one named MCP session (and stop sharing it). No session reaches a user's
// kernel any other way.
import * as vscode from 'vscode';
import type { ErrorReporter } from '../../workbench/reportError';
import { commandRegistrar, givenAnArgument } from '../../workbench/reportedCommands';
import type { ContextSpecBuilder } from '../../workbench/contextSpecBuilder';
import { isDocumentKind, labelForId } from '../../kernels/contextSpec';
import type { IContextRegistry } from '../../kernels/types';
import type { McpSessionInfo } from '../../mcp/httpTransport';
import type { McpServerAddress, McpServerProvider } from './mcpServerProvider';

/** A share as the user sees it: which kernel, which session, under which name. */
interface ShareItem extends vscode.QuickPickItem {
  session: McpSessionInfo;
  name: string;
}

function describeSession(s: McpSessionInfo): string {
  return `${s.clientName ?? 'MCP client'} · session ${s.id}`;
}

/** Copies `{ type, url, headers }` for an MCP client's configuration; returns the address (for scripts). */
async function copyServerAddress(provider: McpServerProvider): Promise<McpServerAddress> {
  const address = await provider.address();
  await vscode.env.clipboard.writeText(JSON.stringify({ type: 'http', ...address }, null, 2));
  void vscode.window.showInformationMessage(
    `Kernel Islands: copied the MCP server address (${address.url}) and its token. They last until this window closes or reloads.`,
  );
  return address;
}

/** The live sessions, or undefined (after telling the user) when none is connected. */
function liveSessions(provider: McpServerProvider): McpSessionInfo[] | undefined {
  const sessions = provider.server?.sessions() ?? [];
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage(
      'Kernel Islands: no MCP session is connected to this window. Start one from an agent (the Kernel Islands MCP server) first.',
    );
    return undefined;
  }
  return sessions;
}

/**
 * "Share This File's Kernel with MCP Session…": the active editor's (or notebook's) context becomes reachable by
 * one session, picked by name, as a context of its own. `scriptedSession` names the session instead of a pick.
 * Returns the name the session sees, undefined when nothing was shared.
 */
async function shareKernel(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  provider: McpServerProvider,
  scriptedSession?: string,
): Promise<string | undefined> {
  const spec = contexts.active();
  if (!spec || !isDocumentKind(spec.kind)) {
    throw new Error('Open the file or notebook whose kernel you want to share with an MCP session.');
  }
  const sessions = liveSessions(provider);
  if (!sessions) {
    return undefined;
  }
  let session = sessions.find((s) => s.id === scriptedSession);
  if (scriptedSession !== undefined && !session) {
    throw new Error(`No MCP session "${scriptedSession}". Open sessions: ${sessions.map((s) => s.id).join(', ')}.`);
  }
  if (!session) {
    const picked = await vscode.window.showQuickPick(
      sessions.map((s) => ({
        label: describeSession(s),
        description: `since ${new Date(s.startedAt).toLocaleTimeString()}`,
        detail: `its contexts: ${
          s.island
            .contexts()
            .map((c) => c.name)
            .join(', ') || 'none yet'
        }`,
        session: s,
      })),
      {
        title: `Kernel Islands: share the kernel of ${spec.label} with which MCP session?`,
        placeHolder: 'That session can then read and change this kernel’s variables, until you stop sharing',
      },
    );
    session = picked?.session;
  }
  if (!session) {
    return undefined;
  }
  if (!registry.get(spec.id)) {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kernel Islands: starting the kernel of ${spec.label}` },
      () => registry.getOrStart(spec),
    );
  }
  const name = session.island.share(spec.id, labelForId(spec.id));
  const target = session;
  void vscode.window
    .showInformationMessage(
      `Kernel Islands: ${describeSession(target)} can now run code in the kernel of ${spec.label}, as its context "${name}".`,
      'Stop Sharing',
    )
    .then((choice) => (choice === 'Stop Sharing' ? target.island.unshare(name) : undefined));
  return name;
}

/** "Stop Sharing a Kernel with MCP Sessions…": picks a share (or takes `session` and `name`) and ends it. */
async function stopSharing(provider: McpServerProvider, scripted?: { session: string; name: string }): Promise<void> {
  const sessions = provider.server?.sessions() ?? [];
  const items: ShareItem[] = sessions.flatMap((session) =>
    session.island.shares().map((share) => ({
      label: `${labelForId(share.targetId)} → ${describeSession(session)}`,
      description: `as "${share.name}"`,
      session,
      name: share.name,
    })),
  );
  const chosen = scripted
    ? items.find((i) => i.session.id === scripted.session && i.name === scripted.name)
    : await pickShare(items);
  if (scripted && !chosen) {
    throw new Error(`MCP session "${scripted.session}" has no shared context "${scripted.name}".`);
  }
  if (chosen) {
    await chosen.session.island.unshare(chosen.name);
  }
}

async function pickShare(items: ShareItem[]): Promise<ShareItem | undefined> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Kernel Islands: no kernel is shared with an MCP session.');
    return undefined;
  }
  return vscode.window.showQuickPick(items, { title: 'Kernel Islands: stop sharing which kernel?' });
}

/** Registers the MCP commands; a scripted call (with arguments) rejects on failure as well as reporting it. */
export function registerMcpCommands(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  provider: McpServerProvider,
  report: ErrorReporter,
): vscode.Disposable {
  const command = commandRegistrar(report);
  const scripted = { rejectsWhen: givenAnArgument };
  return vscode.Disposable.from(
    command('kernelIslands.mcp.copyServerAddress', () => copyServerAddress(provider), scripted),
    command(
      'kernelIslands.mcp.shareKernel',
      (session?: unknown) =>
        shareKernel(registry, contexts, provider, typeof session === 'string' ? session : undefined),
      scripted,
    ),
    command(
      'kernelIslands.mcp.stopSharing',
      (session?: unknown, name?: unknown) =>
        stopSharing(provider, typeof session === 'string' && typeof name === 'string' ? { session, name } : undefined),
      scripted,
    ),
  );
}
