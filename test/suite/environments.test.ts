/**
 * Project environments in a real VS Code: files of two projects, each with its own venv made here, run at the same
 * time in their own environments; an environment without ipykernel is refused with a clear message, and nothing runs
 * in another Python. (A deleted venv is tested on real kernels in test/integration/kernels/environments.test.ts.)
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { makeVenv, WHERE_AM_I, type TestVenv } from '../shared/pythonEnvironments';
import { findContext, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

/** `sys.prefix` and `marker.NAME`, as WHERE_AM_I prints them. */
function whereItRan(text: string): [string, string] {
  const [prefix, marker] = text.trim().split('\n');
  return [prefix, marker];
}

export function environmentTests(): void {
  suite('project environments: each project runs in its own venv', () => {
    let api: KernelIslandsApi;
    let root: string;
    let a: TestVenv;
    let b: TestVenv;
    const targets: vscode.Uri[] = [];

    /** A Python file in `project`, opened in an editor (so the spec builder sees a Python document). */
    async function pythonFile(project: string, name: string): Promise<vscode.Uri> {
      const uri = vscode.Uri.file(join(project, name));
      await writeFile(uri.fsPath, WHERE_AM_I);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      targets.push(uri);
      return uri;
    }

    suiteSetup(async () => {
      api = await getApi();
      root = await mkdtemp(join(tmpdir(), 'ki-envs-'));
      a = makeVenv(join(root, 'proj-a'), { marker: 'venv A' });
      // A `venv` folder, not `.venv`, so the two status bar texts differ by the environment's name.
      b = makeVenv(join(root, 'proj-b'), { marker: 'venv B', folder: 'venv' });
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const uri of targets) {
        await shutdownIfLive(api, uri);
      }
      await rm(root, { recursive: true, force: true });
    });

    test('two files of two projects run at the same time, each in its own venv; contexts() names it', async () => {
      const fileA = await pythonFile(join(root, 'proj-a'), 'env_a.py');
      const fileB = await pythonFile(join(root, 'proj-b'), 'env_b.py');
      const [ranA, ranB] = await Promise.all([api.execute(fileA, WHERE_AM_I), api.execute(fileB, WHERE_AM_I)]);
      assert.deepEqual(whereItRan(plainText(ranA)), [a.root, 'venv A']);
      assert.deepEqual(whereItRan(plainText(ranB)), [b.root, 'venv B']);
      const [ca, cb] = [findContext(api, fileA), findContext(api, fileB)];
      assert.equal(ca?.environment?.root, a.root);
      assert.equal(ca?.environment?.python, a.python);
      assert.match(ca?.environment?.label ?? '', /^\.venv \(3\.\d+\)$/);
      assert.match(cb?.environment?.label ?? '', /^venv \(3\.\d+\)$/);
      assert.equal(ca?.server, 'local');
    });

    test("a venv without ipykernel: a clear message with the fix, nothing runs elsewhere; the server's Python on request", async () => {
      const bareProject = join(root, 'proj-bare');
      const bare = makeVenv(bareProject, { marker: 'bare', systemSitePackages: false });
      const file = await pythonFile(bareProject, 'env_bare.py');
      const failure = await api.execute(file, 'print(1)').then(
        () => assert.fail('ran although its environment has no ipykernel'),
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      assert.ok(failure.includes(`${bare.python} -m pip install ipykernel`), failure);
      assert.match(failure, /has no ipykernel.*Nothing was started in another Python/);
      assert.equal(findContext(api, file)?.kernelId ?? '', '', 'no kernel started for it');
      // The error's second button: the server's Python for this file only.
      await vscode.commands.executeCommand('kernelIslands.useServerPython', file.toString());
      const ran = await api.execute(file, 'import sys\nprint(sys.prefix)');
      assert.equal(ran.status, 'ok');
      assert.notEqual(plainText(ran), bare.root);
      assert.equal(findContext(api, file)?.environment, undefined);
    });

    test('api.execute(…, { python }) and Select Kernel choose an environment for a context', async () => {
      const ran = await api.execute('agent:env-b', WHERE_AM_I, { python: b.python });
      assert.deepEqual(whereItRan(plainText(ran)), [b.root, 'venv B']);
      assert.equal(findContext(api, 'agent:env-b')?.environment?.root, b.root);
      await api.shutdown('agent:env-b');
      // Project A's file, switched to venv B's interpreter by Select Kernel (a script names it by path).
      const fileA = targets[0];
      await vscode.window.showTextDocument(fileA);
      await vscode.commands.executeCommand('kernelIslands.selectKernel', fileA, b.python);
      await waitFor(
        'the context to restart in venv B',
        () => findContext(api, fileA)?.environment?.root === b.root,
        30_000,
      );
      assert.deepEqual(whereItRan(plainText(await api.execute(fileA, WHERE_AM_I))), [b.root, 'venv B']);
    });
  });
}
