import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Measures the Node event-loop delay while `fn` runs (perf_hooks histogram, 10 ms resolution).
 * The maximum is what a user would feel as a frozen extension host.
 */
export async function withLoopLag<T>(fn: () => Promise<T>): Promise<{ value: T; maxLagMs: number; p99LagMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  try {
    const value = await fn();
    histogram.disable();
    // The histogram counts the resolution itself as delay; subtract it to report only the excess.
    const excess = (ns: number) => Math.max(0, ns / 1e6 - 10);
    return { value, maxLagMs: excess(histogram.max), p99LagMs: excess(histogram.percentile(99)) };
  } finally {
    histogram.disable();
  }
}
