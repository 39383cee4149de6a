import type { ZeromqModule } from './zmqChannels';

/** The outcome of loading the native `zeromq` addon: the module, or why it could not load. */
export type ZeromqLoad = { ok: true; zeromq: ZeromqModule } | { ok: false; reason: string };

/**
 * Loads `zeromq` through `load`. It is a native addon kept out of the bundle (shipped in dist/node_modules), so a
 * missing or incompatible prebuilt binary (another platform, an unusual libc) is an expected outcome, not a crash:
 * the caller falls back to the server's websocket.
 */
export function tryLoadZeromq(load: () => unknown): ZeromqLoad {
  try {
    const zeromq = load() as Partial<ZeromqModule> | undefined;
    if (typeof zeromq?.Dealer !== 'function' || typeof zeromq.Subscriber !== 'function') {
      return { ok: false, reason: 'the zeromq module has no Dealer/Subscriber sockets' };
    }
    return { ok: true, zeromq: zeromq as ZeromqModule };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err) };
  }
}

let cached: ZeromqLoad | undefined;

/** Loads the real `zeromq` once per process. */
export function loadZeromq(): ZeromqLoad {
  // A plain require, kept by esbuild (zeromq is external): loading must be synchronous and allowed to fail.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached ??= tryLoadZeromq(() => require('zeromq'));
  return cached;
}
