import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandRegistrar, givenAnArgument } from '../../../src/workbench/reportedCommands';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const HELPER = 'src/workbench/reportedCommands.ts';

// Each test passes its own command registry, not the `vscode` double's.
type Handler = (...args: unknown[]) => unknown;

/** A command registry that keeps the registered handlers, and a reporter that keeps what it was given. */
function harness() {
  const handlers = new Map<string, Handler>();
  const reported: Array<{ err: unknown; command: string | undefined }> = [];
  const commands = {
    registerCommand: (id: string, handler: Handler) => {
      handlers.set(id, handler);
      return { dispose: () => handlers.delete(id) };
    },
  };
  const register = commandRegistrar((err, command) => reported.push({ err, command }), commands as never);
  const run = (id: string, ...args: unknown[]) => Promise.resolve(handlers.get(id)?.(...args));
  return { handlers, reported, register, run };
}

describe('the one way to register a command (workbench/reportedCommands)', () => {
  it('a throwing handler reaches the reporter with the command id, and the command resolves', async () => {
    const { reported, register, run } = harness();
    const failure = new Error('no kernel');
    register('kernelIslands.throws', () => {
      throw failure;
    });
    assert.equal(await run('kernelIslands.throws'), undefined);
    assert.deepEqual(reported, [{ err: failure, command: 'kernelIslands.throws' }]);
  });

  it('a rejecting handler reaches the reporter with the command id, and the command resolves', async () => {
    const { reported, register, run } = harness();
    register('kernelIslands.rejects', () => Promise.reject(new Error('server gone')));
    assert.equal(await run('kernelIslands.rejects', 'file:///w/a.py'), undefined);
    assert.equal(reported.length, 1);
    assert.equal(reported[0].command, 'kernelIslands.rejects');
    assert.match(String(reported[0].err), /server gone/);
  });

  it('a scripted call (rejectsWhen) also rejects after the report; the palette call only reports', async () => {
    const { reported, register, run } = harness();
    register('kernelIslands.scripted', (name?: unknown) => Promise.reject(new Error(`no server ${String(name)}`)), {
      rejectsWhen: givenAnArgument,
    });
    await assert.rejects(run('kernelIslands.scripted', 'hub'), /no server hub/);
    assert.equal(await run('kernelIslands.scripted'), undefined);
    assert.deepEqual(
      reported.map((r) => r.command),
      ['kernelIslands.scripted', 'kernelIslands.scripted'],
    );
  });

  it('a handler that succeeds returns its value and reports nothing; dispose unregisters', async () => {
    const { handlers, reported, register, run } = harness();
    const disposable = register('kernelIslands.ok', (n?: unknown) => Number(n) + 1);
    assert.equal(await run('kernelIslands.ok', 1), 2);
    assert.deepEqual(reported, []);
    disposable.dispose();
    assert.equal(handlers.has('kernelIslands.ok'), false);
  });

  it('no other file under src/ calls registerCommand, so no command skips the error report', () => {
    const files = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(`${dir}/${e.name}`) : [`${dir}/${e.name}`],
      );
    const callers = files('src').filter(
      (f) =>
        /\.tsx?$/.test(f) &&
        /registerCommand\s*\(|registerTextEditorCommand\s*\(/.test(readFileSync(path.join(ROOT, f), 'utf8')),
    );
    assert.deepEqual(callers, [HELPER]);
  });
});
