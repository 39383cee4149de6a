import * as assert from 'node:assert/strict';
import { createVscodeDouble, fakeExtensionContext, Uri } from '../../shared/vscodeDouble';

type Module = Record<string, Record<string, (...args: unknown[]) => unknown>>;

describe('the vscode double (test/shared/vscodeDouble)', () => {
  it('strict (unit tests): a name it does not hold throws, naming it, instead of answering anything', () => {
    const vscode = createVscodeDouble().module as Module;
    assert.throws(() => vscode.window.showQuickPick, /the vscode double has no vscode\.window\.showQuickPick/);
    assert.throws(() => vscode.NotebookEdit, /the vscode double has no vscode\.NotebookEdit/);
    assert.throws(
      () => vscode.workspace.getConfiguration('python'),
      /no settings section "python"/,
      'reading another section than the ones set is an error, not an empty answer',
    );
  });

  it('records the messages shown and answers with the choice the test set; reset forgets both', async () => {
    const { module, records } = createVscodeDouble();
    const vscode = module as Module;
    records.answer = 'Retry';
    assert.equal(await vscode.window.showErrorMessage('failed', 'Retry', 'Cancel'), 'Retry');
    await vscode.commands.executeCommand('kernelIslands.restartKernel', 'a');
    assert.deepEqual(records.messages, [{ kind: 'error', message: 'failed', choices: ['Retry', 'Cancel'] }]);
    assert.deepEqual(records.executed, [['kernelIslands.restartKernel', 'a']]);
    records.reset();
    assert.deepEqual([records.messages, records.executed, records.answer], [[], [], undefined]);
  });

  it('settings: a set key answers its value, an unset one the default given', () => {
    const { module, records } = createVscodeDouble();
    records.settings.kernelIslands.warmKernels = 0;
    const config = (module as Module).workspace.getConfiguration('kernelIslands') as {
      get(key: string, fallback?: unknown): unknown;
    };
    assert.deepEqual([config.get('warmKernels', 2), config.get('defaultKernel', 'python3')], [0, 'python3']);
  });

  it('URIs print as VS Code prints them: file paths, parsed text as given, joined paths', () => {
    assert.equal(Uri.file('/w/a.py').toString(), 'file:///w/a.py');
    assert.deepEqual(
      [Uri.parse('untitled:Untitled-1').scheme, Uri.parse('file:///w/a.py').fsPath],
      ['untitled', '/w/a.py'],
    );
    assert.equal(Uri.parse('git:/w/b.py?HEAD').toString(), 'git:/w/b.py?HEAD');
    assert.equal(Uri.joinPath(Uri.file('/ext'), 'media', 'a.css').path, '/ext/media/a.css');
  });

  it('lenient (the bench): every API name is an own key, set values are kept, and awaiting a value resolves', async () => {
    const vscode = createVscodeDouble({ otherApi: ['commands', 'StatusBarAlignment', 'NotebookEdit'] }).module;
    assert.ok(Object.keys(vscode).includes('NotebookEdit'), 'bundlers copy own keys only');
    const window = vscode.window as { createStatusBarItem(): { text: string }; createOutputChannel(): unknown };
    const item = window.createStatusBarItem();
    item.text = 'hello';
    assert.equal(item.text, 'hello');
    const channel = window.createOutputChannel() as { appendLine(line: string): void; name: string };
    channel.appendLine('no-op');
    channel.name = 'Kernel Islands';
    assert.equal(channel.name, 'Kernel Islands');
    assert.ok(await channel, 'awaiting a no-op value resolves instead of hanging');
    const config = (vscode.workspace as Module['workspace']).getConfiguration('kernelIslands') as {
      get(k: string, d: number): number;
    };
    assert.equal(config.get('warmKernels', 1), 1);
    const context = fakeExtensionContext('/ext', '/tmp/x', { lenient: true }) as Record<string, unknown>;
    assert.deepEqual(context.subscriptions, []);
    assert.equal((context.asAbsolutePath as (p: string) => string)('media/a.css'), '/ext/media/a.css');
    assert.ok(context.languageModelAccessInformation, 'a name it does not hold is a no-op value');
  });
});
