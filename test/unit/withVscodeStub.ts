import Module from 'node:module';

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/**
 * Loads a module of src/ that imports `vscode`, giving it `stub` for that import. `modulePath` is absolute
 * (pass `require.resolve('…')` from the test). The stub stays the module's `vscode` for good, so a test may
 * change the stub's fields between cases.
 */
export function requireWithVscodeStub<T>(modulePath: string, stub: object): T {
  const internals = Module as unknown as { _load: Loader };
  const original = internals._load;
  internals._load = function (request, parent, isMain) {
    return request === 'vscode' ? stub : original.call(this, request, parent, isMain);
  };
  try {
    // A plain require on purpose: the stub must be in place while the module loads `vscode`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath) as T;
  } finally {
    internals._load = original;
  }
}
