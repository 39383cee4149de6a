/**
 * The agents' sandbox inside VS Code: code the language-model tool runs (through VS Code's own
 * `vscode.lm.invokeTool`, confirmed by the e2e harness as a user would) tries to reach the user's editor kernel,
 * given that kernel's connection file, ports and key; to find our tokens; and to connect to the local Jupyter
 * Server. Each attempt fails, and the editor's variable is unharmed afterwards.
 */
import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { readArgv } from '../../src/jupyter/processTree';
import { localServerView } from './localServerProbe';
import { getApi, invokeRunCodeTool, plainText, ScratchFolder, shutdownIfLive } from './util';

const CONTEXT = 'suite-sandbox';

export function agentSandboxTests(): void {
  suite('agent sandbox inside VS Code (the LM tool against the user’s editor kernel)', () => {
    let api: KernelIslandsApi;
    const scratch = new ScratchFolder();
    let editorFile: vscode.Uri;

    suiteSetup(async function () {
      this.timeout(120_000);
      api = await getApi();
      editorFile = await scratch.file('sandbox_target.py', 'x = "editor-secret"\n');
      await api.execute(editorFile, 'x = "editor-secret"');
    });

    suiteTeardown(async function () {
      this.timeout(60_000);
      await shutdownIfLive(api, `agent:${CONTEXT}`);
      await shutdownIfLive(api, editorFile);
      await scratch.dispose();
    });

    test('the tool’s context is sandboxed, the editor’s is not', async function () {
      this.timeout(120_000);
      await invokeRunCodeTool('1 + 1', CONTEXT);
      const agent = api.contexts().find((c) => c.id === `agent:${CONTEXT}`);
      const editor = api.contexts().find((c) => c.id === editorFile.toString());
      assert.equal(agent?.sandboxed, true);
      assert.equal(editor?.sandboxed, false);
    });

    test('given the editor kernel’s connection file, ports and key, the tool’s code cannot reach it, nor any token or the server', async function () {
      this.timeout(120_000);
      const file = plainText(await api.execute(editorFile, 'import ipykernel; print(ipykernel.get_connection_file())'));
      const info = await readFile(file.trim(), 'utf8');
      const argv = (await readArgv((await localServerView()).launcherPid)) ?? [];
      const port = Number(argv[argv.indexOf('--port') + 1]);
      assert.ok(port > 0, `the launcher's port: ${argv.join(' ')}`);
      const text = await invokeRunCodeTool(
        [
          'import json, os, socket',
          `info = json.loads(${JSON.stringify(info)})`,
          'from jupyter_client import BlockingKernelClient',
          'kc = BlockingKernelClient(); kc.load_connection_info(info); kc.start_channels()',
          "try:\n  kc.wait_for_ready(timeout=2); reached = str(kc.execute_interactive('x', timeout=2)['content'])\nexcept Exception as e:\n  reached = type(e).__name__",
          'def connect(p):\n  try:\n    socket.create_connection(("127.0.0.1", p), 2).close(); return "connected"\n  except Exception as e:\n    return type(e).__name__',
          `print("FOUND", json.dumps({"file": os.path.exists(${JSON.stringify(file.trim())}), "reached": reached, "shell": connect(info["shell_port"]), "server": connect(${port}), "tokens": [n for n in os.environ if "TOKEN" in n.upper() or n.startswith("KERNEL_ISLANDS")]}))`,
        ].join('\n'),
        CONTEXT,
      );
      const found = JSON.parse(/FOUND (\{.*\})/.exec(text)?.[1] ?? 'null') as Record<string, unknown> | null;
      assert.ok(found, `the tool's code printed its findings: ${text}`);
      assert.equal(found.file, false, 'the editor kernel’s connection file is not visible');
      assert.equal(found.reached, 'RuntimeError', 'the editor kernel never answered');
      assert.match(String(found.shell), /OSError|ConnectionRefusedError/);
      assert.match(String(found.server), /OSError|ConnectionRefusedError/);
      assert.deepEqual(found.tokens, []);
      assert.equal(plainText(await api.execute(editorFile, 'print(x)')).trim(), 'editor-secret');
    });
  });
}
