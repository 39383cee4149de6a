import type { Logger } from '../../common/log';
import type { JupyterServerConnection } from '../../jupyter/types';
import { loadZeromq, type ZeromqLoad } from '../zmq/loadZeromq';
import type { ZeromqModule } from '../zmq/zmqChannels';

/**
 * `kernelIslands.transport`: `auto` talks ZMQ straight to kernels of the local server (the server still starts,
 * restarts and stops them); `server` sends everything through the server's websocket, as for remote servers.
 */
export type TransportSetting = 'auto' | 'server';

/** The transport new sessions use when nobody says otherwise. */
export const DEFAULT_TRANSPORT: TransportSetting = 'auto';

/** Which transport a session uses, and why, for the log and diagnostics. */
type TransportChoice = { kind: 'zmq'; zeromq: ZeromqModule } | { kind: 'server'; why: string };

/**
 * Picks the transport per kernel: ZMQ for the local server when the setting allows it and the native `zeromq`
 * addon loads; the server's websocket otherwise. A failed load is reported once in the log, with the reason.
 */
export class TransportChooser {
  private reported = false;

  constructor(
    private readonly logger: Logger,
    private readonly setting: () => TransportSetting = () => DEFAULT_TRANSPORT,
    private readonly load: () => ZeromqLoad = loadZeromq,
  ) {}

  choose(server: JupyterServerConnection): TransportChoice {
    if (server.kind !== 'local') {
      return { kind: 'server', why: 'remote server' };
    }
    if (this.setting() === 'server') {
      return { kind: 'server', why: 'kernelIslands.transport is "server"' };
    }
    const loaded = this.load();
    if (loaded.ok) {
      return { kind: 'zmq', zeromq: loaded.zeromq };
    }
    if (!this.reported) {
      this.reported = true;
      this.logger.warn(
        `Direct ZMQ transport unavailable (${loaded.reason}); local kernels use the Jupyter Server websocket.`,
      );
    }
    return { kind: 'server', why: `zeromq did not load: ${loaded.reason}` };
  }

  /** Called when a launcher lacks the ZMQ routes (a server started by an older version): log once, fall back. */
  reportMissingRoutes(reason: string): void {
    if (!this.reported) {
      this.reported = true;
      this.logger.warn(`Direct ZMQ transport unavailable (${reason}); this kernel uses the server websocket.`);
    }
  }
}
