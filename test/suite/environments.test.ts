/**
 * Project environments in a real VS Code: files of two projects, each with its own venv made here, run at the same
 * time in their own environments; a notebook gets its folder's environment's controller; an environment without
 * ipykernel or one deleted is refused with a clear message, and nothing runs in another Python.
 */
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { makeVenv, WHERE_AM_I, type TestVenv } from '../shared/pythonEnvironments';
import { CELL_TIMEOUT_MS, cellText, runAll, showNotebook, waitForCells } from './notebookUtil';
import { findContext, getApi, plainText, shutdownIfLive, waitFor } from './util';

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

    test("a notebook in project A gets venv A's controller and runs in it", async () => {
      const uri = vscode.Uri.file(join(root, 'proj-a', 'analysis.ipynb'));
      const notebook = {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {
          kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
          language_info: { name: 'python' },
        },
        cells: [{ id: 'c0', cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: WHERE_AM_I }],
      };
      await writeFile(uri.fsPath, JSON.stringify(notebook));
      targets.push(uri);
      const editor = await showNotebook(uri);
      // Nothing selects a controller here: the product selects its preferred one (the folder's environment), and
      // selecting it prepares the notebook's kernel.
      await waitFor(
        'a controller to be selected for the notebook',
        () => findContext(api, uri) !== undefined,
        CELL_TIMEOUT_MS,
      );
      assert.equal(findContext(api, uri)?.environment?.root, a.root, "venv A's controller was selected");
      const since = Date.now();
      await runAll(editor.notebook);
      await waitForCells(editor.notebook, [0], since);
      assert.deepEqual(whereItRan(cellText(editor.notebook.cellAt(0))), [a.root, 'venv A']);
      assert.equal(findContext(api, uri)?.environment?.root, a.root);
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

    test('a deleted venv: the next run says the environment is gone', async () => {
      const project = join(root, 'proj-doomed');
      const doomed = makeVenv(project, { marker: 'doomed' });
      const file = await pythonFile(project, 'env_doomed.py');
      assert.deepEqual(whereItRan(plainText(await api.execute(file, WHERE_AM_I))), [doomed.root, 'doomed']);
      await rm(doomed.root, { recursive: true, force: true });
      const failure = await api.execute(file, 'print(1)').then(
        () => assert.fail('ran although its environment was deleted'),
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      assert.match(failure, /no longer exists/);
      assert.ok(failure.includes(doomed.root), failure);
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
