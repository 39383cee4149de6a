/**
 * Remote servers in the real extension host: a second Jupyter Server (in a network namespace of its own when the
 * machine allows it) added through "Add Jupyter Server…", used through the API, and removed again.
 */
import * as assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { RemoteTestServer } from '../integration/remote/remoteTestServer';
import { requireNotebookSurface, selectKernel, showNotebook, writeNotebook } from './notebookUtil';
import { findContext, getApi, plainText, PRODUCT_ID, ScratchFolder, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const NAME = 'suite-remote';
/** A kernelspec only the remote server has: its notebook controller exists only while that server is the default. */
const REMOTE_ONLY_SPEC = 'suite-remote-only';

function configuredServers(): Array<Record<string, unknown>> {
  return vscode.workspace.getConfiguration('kernelIslands').get<Array<Record<string, unknown>>>('servers') ?? [];
}

export function remoteServerTests(): void {
  suite('remote Jupyter server', () => {
    let api: KernelIslandsApi;
    let server: RemoteTestServer;
    const ids = ['agent:suite-remote-a', 'agent:suite-remote-b', 'agent:suite-remote-c'];
    const scratch = new ScratchFolder();

    suiteSetup(async function () {
      this.timeout(90_000);
      api = await getApi();
      server = await RemoteTestServer.start({ ownKernelspec: REMOTE_ONLY_SPEC });
    });

    suiteTeardown(async function () {
      this.timeout(60_000);
      // Remote kernels outlive the window unless asked: this suite asks.
      for (const id of ids) {
        await shutdownIfLive(api, id);
      }
      if (configuredServers().some((s) => s.name === NAME)) {
        await vscode.commands.executeCommand('kernelIslands.removeServer', NAME);
      }
      await server?.dispose();
    });

    test('a wrong token is refused with a clear message and nothing is saved', async () => {
      await assert.rejects(
        Promise.resolve(
          vscode.commands.executeCommand('kernelIslands.addServer', {
            name: NAME,
            url: server.baseUrl,
            token: 'wrong'.repeat(8),
          }),
        ),
        /refused the token \(HTTP 403\).*Nothing was saved/,
      );
      assert.equal(
        configuredServers().some((s) => s.name === NAME),
        false,
      );
    });

    test('a checked server is saved with its URL only; the token stays out of settings', async () => {
      const added = await vscode.commands.executeCommand('kernelIslands.addServer', {
        name: NAME,
        url: server.baseUrl,
        token: server.token,
      });
      assert.equal(added, NAME);
      const saved = configuredServers().find((s) => s.name === NAME);
      assert.deepEqual(saved, { name: NAME, url: server.baseUrl });
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('kernelIslands')).includes(server.token));
    });

    test('three contexts on it get three isolated kernels that run over there', async function () {
      this.timeout(120_000);
      await Promise.all(ids.map((id, i) => api.execute(id, `v = ${i}`, { server: NAME })));
      const values = await Promise.all(ids.map((id) => api.execute(id, 'print(v)')));
      assert.deepEqual(values.map(plainText), ['0', '1', '2']);
      const listed = api.contexts().filter((c) => ids.includes(c.id));
      assert.ok(listed.every((c) => c.server === NAME));
      assert.equal(new Set(listed.map((c) => c.kernelId)).size, 3);
      if (!server.loopbackReason) {
        const ns = await api.execute(ids[0], "import os\nprint(os.readlink('/proc/self/ns/net'))");
        assert.notEqual(plainText(ns), readlinkSync('/proc/self/ns/net'), 'the kernel lives in another network');
      }
    });

    test('the kernel picker moves a file to the remote server; the status of its context names the server', async function () {
      this.timeout(120_000);
      const doc = await vscode.workspace.openTextDocument({ language: 'python', content: 'z = 5\n' });
      await vscode.window.showTextDocument(doc);
      try {
        await api.execute(doc.uri, 'z = 5');
        assert.equal(findContext(api, doc.uri)?.server, 'local');
        await vscode.commands.executeCommand('kernelIslands.selectKernel', doc.uri, `${NAME}:python3`);
        await waitFor(
          'the context to run on the remote server',
          () => findContext(api, doc.uri)?.server === NAME,
          60_000,
        );
        const there = await api.execute(doc.uri, "print('z' in dir())");
        assert.equal(plainText(there), 'False', 'a fresh kernel over there');
      } finally {
        await shutdownIfLive(api, doc.uri);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      }
    });

    test('notebook controllers follow the default server: its kernelspecs come when it becomes the default, and go after', async function () {
      this.timeout(180_000);
      await requireNotebookSurface();
      const config = vscode.workspace.getConfiguration('kernelIslands');
      const editor = await showNotebook(await writeNotebook(scratch, 'follows-default.ipynb', ['1']));
      try {
        // The controllers are listed (for the local server) once the notebook is open.
        await selectKernel(editor, 'python3');
        await config.update('defaultServer', NAME, vscode.ConfigurationTarget.Global);
        await selectKernel(editor, REMOTE_ONLY_SPEC);
        await config.update('defaultServer', undefined, vscode.ConfigurationTarget.Global);
        const args = { id: `kernel-islands:${REMOTE_ONLY_SPEC}`, extension: PRODUCT_ID };
        const deadline = Date.now() + 60_000;
        while (await vscode.commands.executeCommand<boolean>('notebook.selectKernel', args)) {
          assert.ok(Date.now() < deadline, 'the remote-only controller went when local was the default again');
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        await selectKernel(editor, 'python3');
      } finally {
        await config.update('defaultServer', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await shutdownIfLive(api, editor.notebook.uri);
        await scratch.dispose();
      }
    });

    test('Remove Jupyter Server forgets the URL; its running kernels keep running until shut down', async () => {
      await vscode.commands.executeCommand('kernelIslands.removeServer', NAME);
      assert.equal(
        configuredServers().some((s) => s.name === NAME),
        false,
      );
      assert.equal(plainText(await api.execute(ids[1], 'print(v)')), '1');
    });
  });
}
