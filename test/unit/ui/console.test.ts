import * as assert from 'node:assert/strict';
import type { ContextSpecBuilder } from '../../../src/workbench/contextSpecBuilder';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextSpec, ExecutionEvent, RunOptions } from '../../../src/kernels/types';
import { ConsoleHistory, type StateStore } from '../../../src/ui/results/consoleHistory';
import { ContextConsole } from '../../../src/ui/results/contextConsole';
import { FakeFactory } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';

/** workspaceState as VS Code keeps it: what `update` wrote is what the next window's `get` reads. */
class MemoryStore implements StateStore {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.parse(JSON.stringify(value)));
  }
}

describe('console history', () => {
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);

  it('is kept per context, oldest first, and read back by the next window', async () => {
    const store = new MemoryStore();
    const history = new ConsoleHistory(store, warn);
    await history.add('file:///a.py', 'x * 2');
    await history.add('file:///b.py', 'y');
    await history.add('file:///a.py', 'print(x)');
    const reloaded = new ConsoleHistory(store, warn);
    assert.deepEqual(reloaded.entries('file:///a.py'), ['x * 2', 'print(x)']);
    assert.deepEqual(reloaded.entries('file:///b.py'), ['y']);
    assert.deepEqual(reloaded.entries('file:///c.py'), []);
  });

  it('keeps a repeated run once, and skips blank and oversized entries', async () => {
    const history = new ConsoleHistory(new MemoryStore(), warn, { entries: 10, contexts: 10, entryChars: 5 });
    for (const code of ['a', 'a', '  ', 'b', 'toolong', 'a']) {
      await history.add('c', code);
    }
    assert.deepEqual(history.entries('c'), ['a', 'b', 'a']);
  });

  it('is bounded per context and in contexts, dropping the least recently used', async () => {
    const history = new ConsoleHistory(new MemoryStore(), warn, { entries: 3, contexts: 2, entryChars: 100 });
    for (let i = 0; i < 5; i++) {
      await history.add('one', `r${i}`);
    }
    await history.add('two', 't');
    await history.add('one', 'again');
    await history.add('three', 'x');
    assert.deepEqual(history.entries('one'), ['r3', 'r4', 'again']);
    assert.deepEqual(history.entries('two'), [], 'least recently used context dropped');
    assert.deepEqual(history.entries('three'), ['x']);
  });

  it('follows a renamed context, and ignores a saved value of the wrong shape', async () => {
    const store = new MemoryStore();
    const history = new ConsoleHistory(store, warn);
    await history.add('file:///old.py', 'x');
    await history.move('file:///old.py', 'file:///new.py');
    assert.deepEqual(history.entries('file:///new.py'), ['x']);
    assert.deepEqual(history.entries('file:///old.py'), []);
    store.values.set('kernelIslands.console.history', { a: [1, 2] });
    assert.deepEqual(new ConsoleHistory(store, warn).entries('a'), []);
  });

  it('says so in the log when saving fails', async () => {
    const failing: StateStore = { get: () => undefined, update: () => Promise.reject(new Error('disk full')) };
    await new ConsoleHistory(failing, warn).add('c', 'x');
    assert.match(warnings.pop() ?? '', /Could not save the console history: Error: disk full/);
  });
});

describe('context console', () => {
  const specOf = (id: string): ContextSpec => ({ id, kind: id.startsWith('agent:') ? 'agent' : 'file', label: id });
  const contexts = { forTarget: (id: string) => specOf(id) } as unknown as ContextSpecBuilder;

  function setUp() {
    const factory = new FakeFactory();
    const registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    const agentRuns: string[] = [];
    const agents = {
      execute: async (spec: ContextSpec, code: string, options?: RunOptions) => {
        agentRuns.push(code);
        return { result: await registry.execute(spec, code, options) };
      },
    };
    const history = new ConsoleHistory(new MemoryStore(), () => undefined);
    const console = new ContextConsole({ registry, agents, contexts, history, stdin: async () => undefined });
    return { factory, registry, agentRuns, console };
  }

  it("runs through the context's FIFO with source 'console', after the runs queued before it, into its history", async () => {
    const { factory, registry, console } = setUp();
    const events: ExecutionEvent[] = [];
    registry.onDidExecute((e) => events.push(e));
    factory.manual = true;
    const editorRun = registry.execute(specOf('file:///a.py'), 'x = 21', { source: 'editor' });
    const consoleRun = console.run('file:///a.py', 'x * 2');
    await new Promise((resolve) => setImmediate(resolve));
    const [session] = factory.started;
    session.answerNext();
    session.answerNext();
    await Promise.all([editorRun, consoleRun]);
    assert.deepEqual(session.userCode, ['x = 21', 'x * 2']);
    const starts = events.filter((e) => e.type === 'start');
    assert.deepEqual(
      starts.map((e) => e.type === 'start' && [e.code, e.source]),
      [
        ['x = 21', 'editor'],
        ['x * 2', 'console'],
      ],
    );
    assert.deepEqual(console.history('file:///a.py'), ['x * 2']);
    await registry.disposeAsync();
  });

  it("runs an agent context's code through its lifecycle", async () => {
    const { registry, agentRuns, console } = setUp();
    await console.run('agent:chat-1', 'y = 1');
    assert.deepEqual(agentRuns, ['y = 1']);
    await registry.disposeAsync();
  });

  it("completes from the context's live kernel, and offers nothing when it has none", async () => {
    const { factory, registry, console } = setUp();
    assert.deepEqual(await console.complete('file:///a.py', 'al', 2), { matches: [], start: 2, end: 2 });
    assert.equal(factory.started.length, 0, 'Tab started no kernel');
    await console.run('file:///a.py', 'alpha = 1');
    factory.started[0].completions = ['alpha', 'all'];
    assert.deepEqual(await console.complete('file:///a.py', 'x = al', 6), {
      matches: ['alpha', 'all'],
      start: 4,
      end: 6,
    });
    await registry.disposeAsync();
  });
});
