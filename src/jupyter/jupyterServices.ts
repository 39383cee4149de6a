import type * as Services from '@jupyterlab/services';
import { fastDeserializer } from './messageSerializer';

let loaded: typeof Services | undefined;

/**
 * `@jupyterlab/services`, evaluated on first call.
 *
 * Why not a plain `import`: evaluating the library and its `ws` dependency (which pulls Node's `https`, `tls` and
 * `net`) was about a third of the extension's activation time, yet nothing needs it before the first server
 * connection. esbuild keeps a `require()` that sits inside a function lazy, so the library's module code runs only
 * here. Files that only need its types use `import type`, which leaves no `require` in the bundle.
 */
export function jupyterServices(): typeof Services {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
  loaded ??= require('@jupyterlab/services') as typeof Services;
  return loaded;
}

/**
 * `ServerConnection.makeSettings` for our connections: the same settings, with kernel messages in the binary
 * websocket format unpacked by {@link fastDeserializer} (a large output blocks the event loop for less time).
 */
export function makeServerSettings(
  options: Partial<Services.ServerConnection.ISettings>,
): Services.ServerConnection.ISettings {
  const settings = jupyterServices().ServerConnection.makeSettings(options);
  return { ...settings, serializer: fastDeserializer(settings.serializer) };
}
