import * as assert from 'node:assert/strict';
import Module from 'node:module';
import type { ExecutionResult, IContextRegistry } from '../../../src/kernels/types';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Just enough of `vscode` for the tool: its result classes. */
const vscodeStub = {
  LanguageModelToolResult: class {
    constructor(readonly content: unknown[]) {}
  },
  LanguageModelTextPart: class {
    constructor(readonly value: string) {}
  },
};

function loadRunCodeTool(): typeof import('../../../src/api/runCodeTool') {
  const internals = Module as unknown as { _load: Loader };
  const original = internals._load;
  internals._load = function (request, parent, isMain) {
    return request === 'vscode' ? vscodeStub : original.call(this, request, parent, isMain);
  };
  try {
    // A plain require on purpose: the stub must be in place while the module loads `vscode`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('../../../src/api/runCodeTool') as typeof import('../../../src/api/runCodeTool');
  } finally {
    internals._load = original;
  }
}

/** A cancellation token the test cancels. */
function cancellable() {
  const listeners: Array<() => void> = [];
  return {
    token: {
      isCancellationRequested: false,
      onCancellationRequested: (listener: () => void) => {
        listeners.push(listener);
        return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
      },
    },
    cancel: () => [...listeners].forEach((listener) => listener()),
  };
}

describe('RunCodeTool', () => {
  it('reports an interrupt that fails when the call is cancelled, instead of swallowing it', async () => {
    const { RunCodeTool } = loadRunCodeTool();
    const refused = new Error('the kernel did not stop');
    let finish: (result: ExecutionResult) => void = () => undefined;
    const interrupted: string[] = [];
    const registry = {
      execute: () => new Promise<ExecutionResult>((resolve) => (finish = resolve)),
      interrupt: (id: string) => {
        interrupted.push(id);
        return Promise.reject(refused);
      },
      get: () => undefined,
    } as unknown as IContextRegistry;
    const reported: unknown[] = [];
    const tool = new RunCodeTool(
      registry,
      (id) => ({ id: String(id), kind: 'agent', label: String(id) }),
      (err) => reported.push(err),
    );
    const { token, cancel } = cancellable();

    const call = tool.invoke({ input: { code: 'while True: pass', context: 'loop' } } as never, token as never);
    cancel();
    await new Promise((resolve) => setImmediate(resolve));
    finish({ status: 'aborted', executionCount: null, outputs: [], durationMs: 1 });
    await call;

    assert.deepEqual(interrupted, ['agent:loop']);
    assert.deepEqual(reported, [refused]);
  });
});
