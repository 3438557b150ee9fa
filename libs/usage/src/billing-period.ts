/** The billing period holding `now`: the calendar month, UTC, as [start, end) in epoch milliseconds. */
export function billingPeriod(now: number): { start: number; end: number } {
  const date = new Date(now);
  return { start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}
