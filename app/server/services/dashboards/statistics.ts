/**
 * The few statistics the dashboards show, on durations in seconds: median and 90th percentile by the
 * nearest-rank rule (a value that happened, never an interpolation), and days with two decimals.
 */
export const DAY_SECONDS = 86_400;

export const toDays = (seconds: number) => Math.round((seconds / DAY_SECONDS) * 100) / 100;

/** The nearest-rank percentile `p` (0–100) of `values`, or null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Median and 90th percentile of durations (s), in days; null when there are none. */
export function durationSummary(seconds: readonly number[]) {
  const days = (value: number | null) => (value === null ? null : toDays(value));
  return { count: seconds.length, medianDays: days(percentile(seconds, 50)), p90Days: days(percentile(seconds, 90)) };
}

/** The month of a block time in Bangkok (UTC+7, no daylight saving), as YYYY-MM. */
export function bangkokMonth(seconds: number): string {
  return new Date((seconds + 7 * 3600) * 1000).toISOString().slice(0, 7);
}

/** A share (0–1) with three decimals, or null of nothing. */
export const shareOf = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);
