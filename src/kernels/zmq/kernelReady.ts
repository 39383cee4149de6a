import type { Timer } from '../types';
import { makeHeader } from './wire';
import type { ZmqChannels } from './zmqChannels';

/** How long one kernel_info_request may go unanswered before it is sent again (a starting kernel drops it). */
const ATTEMPT_MS = 1000;
/** After a reply, how long to wait for the idle status and the stdin connection before asking again. */
const IOPUB_GRACE_MS = 250;
/** Unanswered attempts between two `recheck` calls. */
const RECHECK_EVERY = 3;
/** A kernel that does not answer this long is given up on; the factory's own start deadline is longer. */
const GIVE_UP_MS = 120_000;

interface ReadyWait {
  channels: ZmqChannels;
  timer: Timer;
  /** True once an idle status arrived on iopub since the wait began. */
  idleSeen(): boolean;
  /** True once the session ended (kernel dead, shut down): stop waiting. */
  gone(): boolean;
  /** Called after every few unanswered attempts: the kernel may have been restarted on other ports. */
  recheck?(): Promise<void>;
}

function sleep(timer: Timer, ms: number): Promise<'timeout'> {
  return new Promise((resolve) => timer.setTimeout(() => resolve('timeout'), ms));
}

/**
 * Resolves once the kernel answers a kernel_info_request on shell, our iopub subscription receives an idle status,
 * and the stdin socket is connected. A SUB socket misses whatever is published before its connection is up, so
 * without the second condition the first run's outputs could be lost (the "slow joiner"); the kernel publishes a
 * busy/idle status around each kernel_info, which proves the subscription works and leaves the session 'idle'.
 * The stdin ROUTER likewise drops an `input()` request addressed to a peer whose connection is not up yet.
 */
export async function waitForKernel(wait: ReadyWait): Promise<void> {
  const attempts = Math.ceil(GIVE_UP_MS / ATTEMPT_MS);
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (wait.gone()) {
      throw new Error('The kernel went away before it answered.');
    }
    const reply = wait.channels.request(makeHeader('kernel_info_request', wait.channels.session), {});
    // A cancelled request (restart, death) is handled by the next loop turn's checks.
    const answered = await Promise.race([reply.then(() => 'reply' as const), sleep(wait.timer, ATTEMPT_MS)]).catch(
      () => 'cancelled' as const,
    );
    if (answered === 'cancelled') {
      await sleep(wait.timer, IOPUB_GRACE_MS);
    }
    if (answered !== 'reply') {
      if (attempt % RECHECK_EVERY === RECHECK_EVERY - 1) {
        await wait.recheck?.();
      }
      continue;
    }
    for (let check = 0; check < 4; check++) {
      if (wait.idleSeen() && wait.channels.stdinReady) {
        return;
      }
      await sleep(wait.timer, IOPUB_GRACE_MS / 4);
    }
  }
  throw new Error(`The kernel did not answer within ${GIVE_UP_MS / 1000} s.`);
}
