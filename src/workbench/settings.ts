import { isWithheldEnvName } from '../jupyter/sandboxProfile';
import * as vscode from 'vscode';
import type { Logger } from '../common/log';
import { DEFAULT_AGENT_LIMITS, type AgentLimits } from '../kernels/agentLifecycle';
import { DEFAULT_AGENT_MEMORY_MB, type AgentSandboxOptions } from '../kernels/agentSandbox';
import { DEFAULT_TRANSPORT, type TransportSetting } from '../kernels/session/transportChooser';
import { DEFAULT_RESULTS_MAX_OUTPUT_LINES } from './settingDefaults';

const SECTION = 'kernelIslands';

/** `kernelIslands.agents.runTimeoutSeconds` unset: an agent's run is stopped after 10 minutes. */
const DEFAULT_AGENT_RUN_TIMEOUT_SECONDS = 600;

/** What the message of an agent context that cannot be sandboxed tells the user to set to run it anyway. */
const AGENT_SANDBOX_OFF_SWITCH = '"kernelIslands.agents.sandbox": false in your settings';

/** One entry of `kernelIslands.servers`. */
export interface ConfiguredServer {
  name: string;
  url: string;
}

/** One entry of `kernelIslands.hubs`: a JupyterHub, the signed-in user, and the named servers they use there. */
export interface ConfiguredHub {
  name: string;
  /** The hub's public URL (`https://hub.example.org/`). */
  url: string;
  user: string;
  /** Named servers (`gpu`, `cpu`) besides the default one. */
  servers?: string[];
}

/**
 * Typed, validated access to the `kernelIslands.*` settings. A malformed value falls back to the default with
 * one warning in the log, so a typo in settings.json never breaks running code.
 */
export class Settings {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Logger) {}

  private get<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
    const value = vscode.workspace.getConfiguration(SECTION).get<unknown>(key);
    if (value === undefined || value === null) {
      return fallback;
    }
    if (valid(value)) {
      return value;
    }
    this.warnOnce(
      key,
      `Setting ${SECTION}.${key} has an invalid value (${JSON.stringify(value)}); using ${fallback === undefined ? 'the default' : JSON.stringify(fallback)}.`,
    );
    return fallback;
  }

  /** Logs `message` once per `key` until the settings change. */
  private warnOnce(key: string, message: string): void {
    if (!this.warned.has(key)) {
      this.warned.add(key);
      this.log.warn(message);
    }
  }

  pythonPath(): string | undefined {
    const value = this.get('pythonPath', '', isString).trim();
    return value === '' ? undefined : value;
  }

  /** Keep IPython's on-disk history (`%history -g`) in kernels of the local server; in memory by default. */
  pythonPersistentHistory(): boolean {
    return this.get('python.persistentHistory', false, isBoolean);
  }

  shutdownDelayMs(): number {
    return this.get('shutdownDelaySeconds', 30, isNonNegativeNumber) * 1000;
  }

  /** Seconds an interrupted kernel may stay busy before the user is offered a restart. */
  interruptTimeoutSeconds(): number {
    return Math.min(600, Math.max(1, this.get('interruptTimeoutSeconds', 10, isNonNegativeNumber)));
  }

  /** Seconds the local server and its kernels outlive the window (reload survival); 0 stops them with it. */
  reloadGraceSeconds(): number {
    return Math.min(3600, this.get('reloadGraceSeconds', 30, isNonNegativeNumber));
  }

  /** Warm kernels the pool keeps; 2 by default, so contexts opened about a second apart each find one ready. */
  warmKernels(): number {
    return Math.min(8, Math.floor(this.get('warmKernels', 2, isNonNegativeNumber)));
  }

  /**
   * Limits of agent contexts (the LM tool's, the API's `agent:…`, MCP sessions'): minutes idle before their kernel
   * is shut down, how many may hold a kernel at once, and seconds one run may take; 0 turns any of them off.
   */
  agentLimits(): AgentLimits {
    return {
      idleShutdownMinutes: this.get(
        'agents.idleShutdownMinutes',
        DEFAULT_AGENT_LIMITS.idleShutdownMinutes,
        isNonNegativeNumber,
      ),
      maxContexts: Math.floor(this.get('agents.maxContexts', DEFAULT_AGENT_LIMITS.maxContexts, isNonNegativeNumber)),
      runTimeoutSeconds: this.get('agents.runTimeoutSeconds', DEFAULT_AGENT_RUN_TIMEOUT_SECONDS, isNonNegativeNumber),
    };
  }

  /**
   * The sandbox of agents' kernels: on unless the user switched it off, with `workspaceFolders` (local paths)
   * readable, the network only when asked for, the memory limit (whole MB, 0 for none) and the variables the user
   * named, with their values from this process's environment (unset and withheld ones left out).
   */
  agentSandbox(workspaceFolders: readonly string[]): AgentSandboxOptions {
    const env: Record<string, string> = {};
    for (const name of this.get('agents.env', [], isStringArray)) {
      const value = process.env[name];
      if (isWithheldEnvName(name)) {
        this.warnOnce(`agents.env:${name}`, `Setting ${SECTION}.agents.env: ${name} is never passed to agents.`);
      } else if (value !== undefined) {
        env[name] = value;
      }
    }
    return {
      enabled: this.get('agents.sandbox', true, isBoolean),
      offSwitch: AGENT_SANDBOX_OFF_SWITCH,
      profile: {
        readOnly: [...workspaceFolders],
        network: this.get('agents.network', false, isBoolean),
        memoryMb: Math.floor(this.get('agents.memoryMb', DEFAULT_AGENT_MEMORY_MB, isNonNegativeNumber)),
        env,
      },
    };
  }

  /** Remote Jupyter Servers the user configured (tokens live in secret storage, never here). */
  servers(): readonly ConfiguredServer[] {
    return this.get('servers', [], isServerList);
  }

  /** Saves the remote server list (user settings). */
  setServers(servers: readonly ConfiguredServer[]): Thenable<void> {
    return vscode.workspace
      .getConfiguration(SECTION)
      .update('servers', servers.length > 0 ? servers : undefined, vscode.ConfigurationTarget.Global);
  }

  /** JupyterHubs the user signed in to (tokens live in secret storage, never here; passwords nowhere). */
  hubs(): readonly ConfiguredHub[] {
    return this.get('hubs', [], isHubList);
  }

  /** Saves the hub list (user settings). */
  setHubs(hubs: readonly ConfiguredHub[]): Thenable<void> {
    return vscode.workspace
      .getConfiguration(SECTION)
      .update('hubs', hubs.length > 0 ? hubs : undefined, vscode.ConfigurationTarget.Global);
  }

  /** The server new contexts start their kernels on: `local` or the name of a configured server. */
  defaultServer(): string {
    return this.get('defaultServer', 'local', isNonEmptyString);
  }

  /** How local kernels are reached: `auto` (ZMQ straight to the kernel when possible) or `server` (websocket). */
  transport(): TransportSetting {
    return this.get('transport', DEFAULT_TRANSPORT, isTransport);
  }

  defaultKernel(): string {
    return this.get('defaultKernel', 'python3', isNonEmptyString);
  }

  languageKernels(): Readonly<Record<string, string>> {
    return this.get('languageKernels', {}, isStringRecord);
  }

  /** Language ids whose editors Kernel Islands runs (keybindings, lenses). */
  languages(): readonly string[] {
    return this.get('languages', ['python', 'r', 'julia'], isStringArray);
  }

  /** Saves the languages Kernel Islands runs (user settings). */
  setLanguages(languages: string[]): Thenable<void> {
    return vscode.workspace.getConfiguration(SECTION).update('languages', languages, vscode.ConfigurationTarget.Global);
  }

  /**
   * Cell marker regular expression; `{comment}` stands for the language's line-comment prefix. Undefined when
   * unset or invalid: the editor then uses its default marker (`DEFAULT_CELL_MARKER` in `editor/cells.ts`).
   */
  cellMarkerPattern(): string | undefined {
    return this.get<string | undefined>('cells.markerPattern', undefined, isNonEmptyString);
  }

  /** Shift+Enter without a selection runs the whole statement at the cursor (Python and R); on by default. */
  statementAware(): boolean {
    return this.get('run.statementAware', true, isBoolean);
  }

  inlineResultsEnabled(): boolean {
    return this.get('inlineResults.enabled', true, isBoolean);
  }

  /** Lines of text output a run keeps in its results panel; the rest opens in an editor. */
  resultsMaxOutputLines(): number {
    return Math.max(
      10,
      Math.floor(this.get('results.maxOutputLines', DEFAULT_RESULTS_MAX_OUTPUT_LINES, isNonNegativeNumber)),
    );
  }

  /** Whether hovering a name in an editor asks its context's live, idle kernel (`inspect_request`). */
  editorKernelHover(): boolean {
    return this.get('editor.kernelHover', true, isBoolean);
  }

  /** Whether editors offer the kernel's completions (`complete_request`); off by default: a language server covers them. */
  editorKernelCompletions(): boolean {
    return this.get('editor.kernelCompletions', false, isBoolean);
  }

  /** Whether text/html outputs may run scripts (inside their sandboxed frame). */
  resultsAllowScripts(): boolean {
    return this.get('results.allowScripts', false, isBoolean);
  }

  /** Fires when the configured servers or the default server change (a server added, removed or chosen). */
  onDidChangeServers(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration(`${SECTION}.servers`) ||
        e.affectsConfiguration(`${SECTION}.hubs`) ||
        e.affectsConfiguration(`${SECTION}.defaultServer`)
      ) {
        listener();
      }
    });
  }

  /** Fires when any `kernelIslands.*` setting changes. */
  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) {
        this.warned.clear();
        listener();
      }
    });
  }
}

function isTransport(v: unknown): v is TransportSetting {
  return v === 'auto' || v === 'server';
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

function isNonNegativeNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(isString);
}

function isBoolean(v: unknown): v is boolean {
  return typeof v === 'boolean';
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isString);
}

function isServerList(v: unknown): v is ConfiguredServer[] {
  return (
    Array.isArray(v) &&
    v.every((s) => typeof s === 'object' && s !== null && isNonEmptyString(s.name) && isNonEmptyString(s.url))
  );
}

function isHubList(v: unknown): v is ConfiguredHub[] {
  return (
    Array.isArray(v) &&
    v.every(
      (h) =>
        typeof h === 'object' &&
        h !== null &&
        isNonEmptyString(h.name) &&
        isNonEmptyString(h.url) &&
        isNonEmptyString(h.user) &&
        (h.servers === undefined || isStringArray(h.servers)),
    )
  );
}
