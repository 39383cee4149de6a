/** Summary statistics of one figure of the bench, all in the unit of the samples (ms unless named). */
export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

/**
 * Summarizes samples. Percentiles use the nearest-rank method, so they are always an observed value
 * (with few samples p95 is simply the largest or second largest, which is the honest answer).
 */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) {
    throw new Error('summarize() needs at least one sample.');
  }
  if (samples.some((s) => !Number.isFinite(s))) {
    throw new Error(`summarize() got a sample that is not a finite number: ${samples.join(', ')}`);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, s) => sum + s, 0);
  return {
    n: sorted.length,
    median: median(sorted),
    p95: nearestRank(sorted, 0.95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    mean: total / sorted.length,
  };
}

/** Median of sorted samples: the middle one, or the mean of the two middle ones. */
function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The smallest sample with at least `q` of the samples at or below it. */
export function nearestRank(sorted: readonly number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

/** Times one async call in milliseconds with the monotonic clock. */
export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Runs `fn` `count` times one after another and returns the durations in milliseconds. */
export async function sampleSerial(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    samples.push((await timeIt(fn)).ms);
  }
  return samples;
}

/** Thrown by {@link withDeadline}: a step of the bench hung instead of finishing. */
export class BenchTimeoutError extends Error {
  override readonly name = 'BenchTimeoutError';
}

/**
 * Rejects when `promise` has not settled within `ms`, naming the step, so a stuck kernel start or a lost
 * reply fails the bench loudly instead of hanging it. The promise itself is left to settle on its own.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeoutError(`${what} did not finish within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
