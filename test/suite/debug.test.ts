/**
 * Debug Cell in the real extension host: a breakpoint in a `# %%` cell, the stop on the file's line (in VS Code's
 * own call stack), a read through `evaluate`, Step Over, Continue, the cell's result and its variables kept; another
 * file runs while paused; and an R kernel refused with the reason.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { ScratchFolder, getApi, plainText, shutdownIfLive } from './util';
import { waitFor } from '../shared/poll';

const CELLS = [
  '# %% setup', // 0
  'before = 41', // 1
  '# %% debugged', // 2
  'a = before + 1', // 3
  'b = a * 2', // 4
  'print("done", b)', // 5
].join('\n');

/** The kernel-islands debug adapter's messages to VS Code, as a tracker sees them. */
class AdapterMessages implements vscode.Disposable {
  readonly events: Array<{ event: string; body?: Record<string, unknown> }> = [];
  private readonly registration = vscode.debug.registerDebugAdapterTrackerFactory('kernel-islands', {
    createDebugAdapterTracker: () => ({
      onDidSendMessage: (m: { type?: string; event?: string; body?: Record<string, unknown> }) => {
        if (m.type === 'event' && m.event) {
          this.events.push({ event: m.event, body: m.body });
        }
      },
    }),
  });

  stopped(count: number): Promise<{ threadId: number }> {
    return waitFor(`stopped event #${count}`, () => {
      const e = this.events.filter((x) => x.event === 'stopped')[count - 1];
      return e && { threadId: e.body?.threadId as number };
    });
  }

  dispose(): void {
    this.registration.dispose();
  }
}

/**
 * The file a frame's source names: VS Code hands a remote window's extension (code-server) the adapter's paths as
 * `vscode-remote://` URIs, a local window's as paths.
 */
function pathOf(source: string | undefined): string | undefined {
  return source?.includes('://') ? vscode.Uri.parse(source).path : source;
}

interface Frame {
  id: number;
  line: number;
  source?: { path?: string };
}

export function debugTests(): void {
  suite('Debug Cell in the context’s own kernel', () => {
    const scratch = new ScratchFolder();
    let api: KernelIslandsApi;
    let doc: vscode.TextDocument;
    let other: vscode.TextDocument;
    let rdoc: vscode.TextDocument;
    let messages: AdapterMessages;

    suiteSetup(async () => {
      api = await getApi();
      doc = await vscode.workspace.openTextDocument(await scratch.file('island_debug.py', CELLS));
      other = await vscode.workspace.openTextDocument(await scratch.file('island_debug_other.py', 'print(6 * 7)\n'));
      rdoc = await vscode.workspace.openTextDocument(await scratch.file('island_debug.R', '# %%\nx <- 1\n'));
      messages = new AdapterMessages();
    });

    suiteTeardown(async () => {
      messages.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      for (const d of [doc, other, rdoc]) {
        await shutdownIfLive(api, d.uri);
      }
      await scratch.dispose();
    });

    test('Debug Cell stops at the breakpoint on the file’s line, reads state, steps, continues, keeps variables', async () => {
      await vscode.window.showTextDocument(doc);
      assert.equal(plainText(await api.execute(doc.uri, 'before = 41\nbefore')), '41');
      vscode.debug.addBreakpoints([
        new vscode.SourceBreakpoint(new vscode.Location(doc.uri, new vscode.Position(4, 0))),
      ]);
      const debugged = vscode.commands.executeCommand<{ status: string } | undefined>(
        'kernelIslands.debugCell',
        doc.uri,
        2,
      );
      const { threadId } = await messages.stopped(1);
      const session = vscode.debug.activeDebugSession;
      assert.equal(session?.type, 'kernel-islands');
      const trace = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: Frame[] };
      const top = trace.stackFrames[0];
      assert.deepEqual(
        [pathOf(top.source?.path), top.line],
        [doc.uri.path, 5],
        'VS Code’s stack shows the file and line',
      );
      const value = (await session.customRequest('evaluate', { expression: 'before', frameId: top.id })) as {
        result: string;
      };
      assert.equal(value.result, '41', 'state from before debugging is readable while paused');
      const paused = await api.execute(other.uri, 'print(6 * 7)');
      assert.equal(plainText(paused), '42', 'another file runs while this one is paused');

      await session.customRequest('next', { threadId });
      await messages.stopped(2);
      const stepped = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: Frame[] };
      assert.equal(stepped.stackFrames[0].line, 6, 'Step Over moves to the next line of the file');

      await session.customRequest('continue', { threadId });
      const result = await debugged;
      assert.equal(result?.status, 'ok');
      await waitFor('the debug session to end', () => vscode.debug.activeDebugSession === undefined);
      assert.equal(plainText(await api.execute(doc.uri, 'print(a, b)')), '42 84', 'the cell’s variables stay');
    });

    test('Debug File runs the whole file under the debugger, stopping at its own lines', async () => {
      const whole = await vscode.workspace.openTextDocument(
        await scratch.file('island_debug_file.py', 'x = 10\ny = x + 1\nprint("y is", y)\n'),
      );
      try {
        await vscode.window.showTextDocument(whole);
        vscode.debug.addBreakpoints([
          new vscode.SourceBreakpoint(new vscode.Location(whole.uri, new vscode.Position(1, 0))),
        ]);
        const stops = messages.events.filter((e) => e.event === 'stopped').length;
        const debugged = vscode.commands.executeCommand<{ status: string } | undefined>(
          'kernelIslands.debugFile',
          whole.uri,
        );
        const { threadId } = await messages.stopped(stops + 1);
        const session = vscode.debug.activeDebugSession!;
        const trace = (await session.customRequest('stackTrace', { threadId })) as { stackFrames: Frame[] };
        assert.deepEqual([pathOf(trace.stackFrames[0].source?.path), trace.stackFrames[0].line], [whole.uri.path, 2]);
        await session.customRequest('continue', { threadId });
        assert.equal((await debugged)?.status, 'ok');
        assert.equal(plainText(await api.execute(whole.uri, 'y')), '11');
      } finally {
        await shutdownIfLive(api, whole.uri);
      }
    });

    test('each Python cell has a Debug Cell lens naming its cell; R cells have none', async () => {
      const titles = async (d: vscode.TextDocument) => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', d.uri);
        return lenses
          .filter((l) => l.command?.command === 'kernelIslands.debugCell')
          .map((l) => [l.command?.title, (l.command?.arguments as unknown[])[1]]);
      };
      assert.deepEqual(await titles(doc), [
        ['Debug Cell', 0],
        ['Debug Cell', 2],
      ]);
      assert.deepEqual(await titles(rdoc), []);
    });

    test('Debug File in an R kernel is refused, saying debugging needs a Python kernel with debugpy', async () => {
      await vscode.window.showTextDocument(rdoc);
      await assert.rejects(
        Promise.resolve(vscode.commands.executeCommand('kernelIslands.debugFile', rdoc.uri)),
        /has no debugger: debugging needs a Python kernel/,
      );
    });
  });
}
