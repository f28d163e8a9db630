/**
 * The q-quantile (0..1) of the values by nearest rank: the smallest value with at least q of them at or below it
 * (p95 of 40 values is the 38th smallest, of 20 the 19th); NaN for none. Every figure the bench reports uses it.
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank] ?? Number.NaN
}

export const median = (values: readonly number[]): number => quantile(values, 0.5)
