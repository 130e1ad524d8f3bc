/** Small statistics helpers: every figure the bench prints is a median or a percentile of samples. */

/** The p-th percentile (0..100) of `samples`, nearest-rank. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

/** Rounds to `digits` decimals for the table and JSON. */
export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** p50, p95 and max of `samples` (ms, rounded). */
export function summary(samples: number[]) {
  return {
    n: samples.length,
    p50Ms: round(percentile(samples, 50), 0),
    p95Ms: round(percentile(samples, 95), 0),
    maxMs: round(samples.length ? Math.max(...samples) : NaN, 0),
  };
}
