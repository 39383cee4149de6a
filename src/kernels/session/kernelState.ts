import type { Kernel } from '@jupyterlab/services';
import type { KernelState } from '../types';

const fromKernelStatus: Record<Kernel.Status, KernelState> = {
  unknown: 'starting',
  starting: 'starting',
  idle: 'idle',
  busy: 'busy',
  terminating: 'shutdown',
  restarting: 'restarting',
  autorestarting: 'restarting',
  dead: 'dead',
};

/**
 * What a user sees for a kernel, from the kernel's own status and its websocket's status.
 * A restart wins over a reconnect because the reconnect is part of the restart.
 */
export function toKernelState(status: Kernel.Status, connection: Kernel.ConnectionStatus): KernelState {
  const state = fromKernelStatus[status];
  if (state === 'restarting' || state === 'dead') {
    return state;
  }
  if (connection === 'connecting') {
    return 'reconnecting';
  }
  return connection === 'disconnected' ? 'dead' : state;
}
