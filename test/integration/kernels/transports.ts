import * as assert from 'node:assert/strict';
import { nullLogger, type Logger } from '../../../src/common/log';
import type { JupyterServerProvider } from '../../../src/jupyter/types';
import { WebSocketKernelSession } from '../../../src/kernels/session/webSocketKernelSession';
import { JupyterSessionFactory, KERNEL_START_TIMEOUT_MS } from '../../../src/kernels/session/sessionFactory';
import { realTimer } from '../../../src/kernels/timer';
import { TransportChooser } from '../../../src/kernels/session/transportChooser';
import type { KernelSession } from '../../../src/kernels/types';
import { ZmqKernelSession } from '../../../src/kernels/zmq/zmqKernelSession';

/** The two ways a local kernel is reached: the server's websocket, and ZMQ straight to the kernel. */
export type Transport = 'server' | 'zmq';
export const TRANSPORTS: readonly Transport[] = ['server', 'zmq'];

/** A factory whose local sessions use `transport` (`zmq` is the `auto` setting on a local server). */
export function factoryWith(
  provider: JupyterServerProvider,
  transport: Transport,
  logger: Logger = nullLogger,
): JupyterSessionFactory {
  const chooser = new TransportChooser(logger, () => (transport === 'zmq' ? 'auto' : 'server'));
  return new JupyterSessionFactory(provider, logger, { ms: KERNEL_START_TIMEOUT_MS, timer: realTimer }, chooser);
}

/** Fails unless the session really is of the transport's class (so a silent fallback cannot pass a zmq test). */
export function expectTransport(session: KernelSession, transport: Transport): void {
  const expected = transport === 'zmq' ? ZmqKernelSession : WebSocketKernelSession;
  assert.ok(session instanceof expected, `expected a ${expected.name}, got ${session.constructor.name}`);
}
