/**
 * Helpers for the in-host suite: reaching the product's API, waiting for editor state, inspecting
 * the processes this extension host started, and scratch files the suite owns.
 */
import * as vscode from 'vscode';
import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listDescendants, readArgv } from '../../src/jupyter/processTree';
import type { ContextSummary, ExecuteResult, KernelIslandsApi } from '../../types/kernel-islands';

export const PRODUCT_ID = 'kernelislands.kernel-islands';

/** Activates the product (idempotent) and returns its API, failing clearly when it is missing. */
export async function getApi(): Promise<KernelIslandsApi> {
  const ext = vscode.extensions.getExtension<KernelIslandsApi>(PRODUCT_ID);
  if (!ext) {
    throw new Error(`${PRODUCT_ID} is not installed in this host`);
  }
  return ext.activate();
}

/**
 * The listed context for a document URI or string id. URIs are compared parsed, because the id's exact
 * encoding is the product's choice.
 */
export function findContext(api: KernelIslandsApi, target: vscode.Uri | string): ContextSummary | undefined {
  const want = typeof target === 'string' ? target : target.toString();
  const canonical = (id: string) => (typeof target === 'string' ? id : vscode.Uri.parse(id).toString());
  return api.contexts().find((c) => canonical(c.id) === want);
}

/** Shuts the target's kernel down if it has one; for teardown, where a context may never have started. */
export async function shutdownIfLive(api: KernelIslandsApi | undefined, target: vscode.Uri | string): Promise<void> {
  if (api && findContext(api, target)) {
    await api.shutdown(target);
  }
}

/** The text a person would read from a run: streams and text/plain results, joined, trimmed. */
export function plainText(result: ExecuteResult): string {
  return result.outputs
    .map((o) => {
      if (o.output_type === 'stream') {
        return o.text;
      }
      if (o.output_type === 'execute_result' || o.output_type === 'display_data') {
        const text = o.data['text/plain'];
        return Array.isArray(text) ? text.join('') : String(text ?? '');
      }
      return `${o.ename}: ${o.evalue}`;
    })
    .join('')
    .trim();
}

/**
 * Python/Jupyter processes descended from this extension host (the Jupyter server launcher, the server, kernels).
 * Descent, not name alone, because other test runs on the machine may have their own Jupyter servers.
 */
export async function pythonDescendants(): Promise<string[]> {
  const described = await Promise.all(
    (await listDescendants(process.pid)).map(async (pid) => `${pid} ${((await readArgv(pid)) ?? []).join(' ')}`),
  );
  return described.filter((line) => /python|jupyter|ipykernel/i.test(line.slice(line.indexOf(' '))));
}

/** A temp folder for the suite's .py files, outside any workspace so the suite never edits the user's files. */
export class ScratchFolder {
  private dir: string | undefined;

  async file(name: string, content: string): Promise<vscode.Uri> {
    this.dir ??= await mkdtemp(join(tmpdir(), 'ki-suite-'));
    const path = join(this.dir, name);
    await writeFile(path, content);
    return vscode.Uri.file(path);
  }

  async dispose(): Promise<void> {
    if (this.dir) {
      await rm(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }
}

/** The product's log file in this code-server run (`<run>/user-data/logs/…/Kernel Islands.log`). */
export async function productLog(): Promise<string> {
  const results = process.env.KI_E2E_RESULTS;
  assert.ok(results, 'KI_E2E_RESULTS is set by the e2e harness; the offer is checked through the log it keeps');
  const logs = join(dirname(results), 'user-data', 'logs');
  const files = (await readdir(logs, { recursive: true }))
    .filter((f) => f.endsWith('Kernel Islands.log'))
    .map((f) => join(logs, f));
  assert.ok(files.length > 0, `a Kernel Islands log under ${logs}`);
  // After a window reload there is one per window: this window's is the one written last.
  const written = await Promise.all(files.map(async (f) => ({ f, at: (await stat(f)).mtimeMs })));
  return written.sort((a, b) => b.at - a.at)[0].f;
}

/** The language-model tool's name (src/api/runCodeTool.ts). */
export const RUN_CODE_TOOL = 'kernelIslands_runCode';

/**
 * One call of the language-model tool through VS Code's own `vscode.lm.invokeTool`, as a chat makes it (without a
 * `context` each call gets a new one); returns the result's text.
 */
export async function invokeRunCodeTool(code: string, context?: string): Promise<string> {
  const source = new vscode.CancellationTokenSource();
  try {
    const input = context === undefined ? { code } : { code, context };
    const result = await vscode.lm.invokeTool(RUN_CODE_TOOL, { input, toolInvocationToken: undefined }, source.token);
    return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  } finally {
    source.dispose();
  }
}
