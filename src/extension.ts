// Composition root: builds the pieces, wires them together and returns the API. No logic of its own.
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../types/kernel-islands';
import { createExportedApi } from './api/exportedApi';
import { registerRunCodeTool } from './api/runCodeTool';
import { setListenerErrorHandler } from './common/event';
import type { Logger } from './common/log';
import { ContextSpecBuilder } from './workbench/contextSpecBuilder';
import { watchDocumentLifecycle } from './editor/documentLifecycle';
import { isRunnableScheme } from './editor/editorContextKeys';
import { createEditorSurface } from './editor/editorSurface';
import { kernelSpecLister, kernelSpecsOf } from './kernels/kernelSpecs';
import { noticeKeybindingConflicts } from './editor/keybindingConflicts';
import { errorReporter } from './workbench/reportError';
import { commandRegistrar } from './workbench/reportedCommands';
import { ReloadState } from './workbench/reloadState';
import { hubHooks } from './workbench/hubServers';
import { inputBoxStdin } from './workbench/stdinPrompt';
import { packagedGrammarFiles, SyntaxTrees } from './workbench/syntaxTrees';
import { ServerCatalog } from './workbench/serverCatalog';
import { Settings } from './workbench/settings';
import { findPython } from './python/pythonFinder';
import { LocalJupyterServer } from './jupyter/localServer';
import { LOCAL_SERVER } from './jupyter/types';
import { PythonExtensionEnvironments, pythonExtensionInterpreter } from './python/pythonExtension';
import { ProjectEnvironments } from './workbench/projectEnvironments';
import { AgentSandbox } from './kernels/agentSandbox';
import { createEngine } from './kernels/engine';
import { createNotebookSurface } from './notebook/notebookSurface';
import { registerAgentResultsCommand } from './ui/results/agentResults';
import { DataViewers, registerViewDataCommand } from './ui/variables/dataViewer';
import { KernelMemory } from './ui/kernels/kernelMemory';
import { registerMcpCommands } from './ui/mcp/mcpCommands';
import { McpServerProvider, registerMcpServerProvider } from './ui/mcp/mcpServerProvider';
import { KernelsView } from './ui/kernels/kernelsView';
import { ResultsPanels } from './ui/results/resultsPanel';
import { registerHubCommands } from './ui/servers/hubCommands';
import { ConsoleHistory } from './ui/results/consoleHistory';
import { ContextConsole } from './ui/results/contextConsole';
import { registerServerCommands } from './ui/servers/serverCommands';
import { registerShutdownAll } from './ui/kernels/shutdownAllCommand';
import { showStartProgress } from './ui/kernels/startProgress';
import { StateLostNotice } from './ui/kernels/stateLostNotice';
import { KernelStatusBar } from './ui/kernels/statusBar';
import { registerUiCommands } from './ui/uiCommands';
import { VariablesView } from './ui/variables/variablesView';

let teardown: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): KernelIslandsApi {
  const channel = vscode.window.createOutputChannel('Kernel Islands', { log: true });
  const log: Logger = {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  setListenerErrorHandler((err) => log.error(err instanceof Error ? err : String(err)));
  const showLog = () => channel.show(true);
  const report = errorReporter(log, showLog);
  const settings = new Settings(log);
  const workspaceDir = () => vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  const workspacePaths = () =>
    (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);

  const reload = new ReloadState(context, log);
  const server = new LocalJupyterServer({
    rootDir: workspaceDir(),
    logger: log,
    graceSeconds: () => settings.reloadGraceSeconds(),
    persistentHistory: () => settings.pythonPersistentHistory(),
    ...reload.serverOptions(),
    python: () =>
      findPython({
        settingPath: settings.pythonPath(),
        activeInterpreter: pythonExtensionInterpreter(() => vscode.workspace.workspaceFolders?.[0]?.uri),
      }),
  });
  const servers = new ServerCatalog(server, settings, context.secrets, log, (hub) => hubHooks(hub, log));
  // Agents' kernels (the LM tool's, `agent:` API contexts, MCP sessions) run sandboxed; the workspace is readable.
  const sandbox = new AgentSandbox(settings.agentSandbox(workspacePaths()));
  const configureSandbox = () => sandbox.configure(settings.agentSandbox(workspacePaths()));
  // Warm kernels for each kernelspec and project environment in use, most recent first, within warmKernels. They
  // live on the local server: none while the default server is another one (a hub), where nothing would take them.
  const warmKernelCount = () => (servers.defaultServer() === LOCAL_SERVER ? settings.warmKernels() : 0);
  const engine = createEngine({
    servers: servers.lookup,
    logger: log,
    transport: () => settings.transport(),
    sandbox,
    defaultKernelName: settings.defaultKernel(),
    defaultServer: () => servers.defaultServer(),
    warmKernels: warmKernelCount(),
    keepsKernelsOnDispose: (name) => servers.isRemote(name),
    interruptTimeoutSeconds: () => settings.interruptTimeoutSeconds(),
    agentLimits: settings.agentLimits(),
    restore: (registry) => reload.track(registry, () => settings.shutdownDelayMs()),
  });
  const { registry, agents, warm } = engine;
  if (reload.hasSavedServer) {
    // Claims the previous window's server (no Python starts) before its grace period runs out.
    void server.adoptSaved().catch((err: unknown) => log.warn(`Adopting the previous server: ${String(err)}`));
  }
  const pythonExtension = new PythonExtensionEnvironments((message) => log.warn(message));
  const environments = new ProjectEnvironments(pythonExtension);
  const contexts = new ContextSpecBuilder(
    {
      languageKernels: () => settings.languageKernels(),
      defaultKernel: () => settings.defaultKernel(),
      defaultServer: () => servers.defaultServer(),
    },
    {
      pythonFor: (uri) => environments.find(uri)?.python,
      currentKernel: (id) => registry.get(id)?.kernelName,
    },
  );
  const listSpecs = kernelSpecLister(
    () => servers.names(),
    servers.lookup,
    () => environments.inUse(),
  );
  const editorSurface = createEditorSurface({
    registry,
    contexts,
    settings,
    listSpecs,
    log,
    showLog,
    syntaxTrees: new SyntaxTrees(packagedGrammarFiles(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath)),
  });
  // Notebooks run on the default server, and their controllers offer its kernelspecs.
  const notebooks = createNotebookSurface(
    registry,
    contexts,
    async () => kernelSpecsOf(await listSpecs(), servers.defaultServer()),
    { logger: log, report, defaultKernelName: () => settings.defaultKernel(), extensionId: context.extension.id },
  );
  const panels = new ResultsPanels({
    registry,
    extensionUri: context.extensionUri,
    spillDir: vscode.Uri.joinPath(context.globalStorageUri, 'outputs').fsPath,
    locations: editorSurface.locations,
    maxOutputLines: () => settings.resultsMaxOutputLines(),
    allowScripts: () => settings.resultsAllowScripts(),
    report,
    console: new ContextConsole({
      registry,
      agents,
      contexts,
      history: new ConsoleHistory(context.workspaceState, (message) => log.warn(message)),
      stdin: inputBoxStdin,
    }),
  });

  const variables = new VariablesView(registry, contexts, report);
  const dataViewers = new DataViewers(registry, context.extensionUri);

  const resolveTarget = (target: vscode.Uri | string) => contexts.forTarget(target);
  // MCP sessions of agents in (or beside) VS Code run in this registry, under the same agent limits.
  const mcp = new McpServerProvider(
    { registry, lifecycle: agents, listSpecs, rootDir: workspaceDir(), sandbox },
    log,
    String(context.extension.packageJSON.version),
  );
  context.subscriptions.push(
    channel,
    servers,
    registerServerCommands(settings, servers, context.secrets, report),
    registerHubCommands(settings, servers, context.secrets, log, report),
    agents,
    settings.onDidChange(() => agents.setLimits(settings.agentLimits())),
    settings.onDidChange(configureSandbox),
    vscode.workspace.onDidChangeWorkspaceFolders(configureSandbox),
    registerRunCodeTool(registry, agents, resolveTarget, report),
    registerAgentResultsCommand(registry, panels, report),
    registerMcpServerProvider(mcp),
    registerMcpCommands(registry, contexts, mcp, report),
    pythonExtension,
    environments,
    // A new or deleted environment may change which controllers notebooks get.
    environments.onDidChange(() => void notebooks.refresh()),
    registerShutdownAll(registry, server, reload, log, report),
    settings.onDidChange(() => warm.resize(warmKernelCount())),
    editorSurface,
    notebooks,
    // Notebook controllers offer the default server's kernelspecs: listed again when the servers change.
    settings.onDidChangeServers(() => void notebooks.refresh()),
    registerUiCommands(registry, contexts, panels, report),
    commandRegistrar(report)('kernelIslands.showLog', showLog),
    watchDocumentLifecycle(
      registry,
      () => settings.shutdownDelayMs(),
      (id) => contexts.forgetUntitledChoice(id),
    ),
    new KernelStatusBar(
      registry,
      contexts,
      (doc) => isRunnableScheme(doc.uri) && settings.languages().includes(doc.languageId),
      servers,
      environments.onDidChange,
    ),
    showStartProgress(registry, { serverShowsStart: (name) => servers.showsOwnStart(name) }),
    new StateLostNotice(registry.onDidChangeContexts, (message) => void vscode.window.showWarningMessage(message)),
    panels,
    new KernelsView(registry, new KernelMemory(), agents, undefined, servers),
    variables,
    dataViewers,
    registerViewDataCommand(registry, dataViewers, () => variables.activeContext?.id, report),
  );

  void noticeKeybindingConflicts(
    context.globalState,
    () => settings.languages(),
    (languages) => settings.setLanguages(languages),
  ).catch((err: unknown) => log.warn(`Keybinding notice failed: ${String(err)}`));

  teardown = async () => {
    reload.dispose();
    if (settings.reloadGraceSeconds() > 0) {
      // Reload or close, VS Code cannot tell us which: the server keeps the kernels for the grace period,
      // for the next window of this workspace to adopt, and stops by itself if none does.
      server.release();
      return;
    }
    await engine.disposeAsync();
    await server.stop();
    server.dispose();
    await reload.forget();
  };
  return createExportedApi(registry, agents, resolveTarget);
}

/** Stops every kernel and the local server; VS Code waits for the returned promise. */
export async function deactivate(): Promise<void> {
  const done = teardown;
  teardown = undefined;
  await done?.();
}
