import { toDisposable } from '../common/disposable';
import type { Timer } from './types';

/** The real clock's timers. */
export const realTimer: Timer = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    return toDisposable(() => clearTimeout(handle));
  },
};
