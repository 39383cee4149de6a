import type * as ChildProcessModule from 'node:child_process';
import type * as CryptoModule from 'node:crypto';
import type * as NetModule from 'node:net';

/*
 * Node built-ins that only a server start or a kernel connection needs, required on first use. In a fresh Node
 * process `child_process` (which pulls `net`, `dgram` and the stream stack) took ~3.5 ms of the extension's ~12 ms
 * module load and `crypto` ~4 ms, and nothing calls them before the first run. Node caches built-ins, so each later call is a map lookup. A host that already
 * loaded them pays nothing either way.
 */

/** `node:child_process`, loaded on first call. */
export function nodeChildProcess(): typeof ChildProcessModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  return require('node:child_process') as typeof ChildProcessModule;
}

/** `node:net`, loaded on first call. */
export function nodeNet(): typeof NetModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  return require('node:net') as typeof NetModule;
}

/** `node:crypto`, loaded on first call (HMAC signing of direct kernel messages; Web Crypto has no sync HMAC). */
export function nodeCrypto(): typeof CryptoModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  return require('node:crypto') as typeof CryptoModule;
}
