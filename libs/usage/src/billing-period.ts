let current: Readonly<{ start: number; end: number }> = { start: 0, end: 0 };

/** The billing period holding `now`: the calendar month, UTC, as [start, end) in epoch milliseconds. */
export function billingPeriod(now: number): Readonly<{ start: number; end: number }> {
  // Asked on every admitted request: the last answer is kept (a frozen object, shared) until `now` leaves it.
  if (now >= current.start && now < current.end) return current;
  const date = new Date(now);
  current = Object.freeze({ start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) });
  return current;
}
