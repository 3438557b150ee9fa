/**
 * Re-cuts a stream of arbitrary pieces into chunks of exactly `size` bytes (the last may be
 * shorter), holding at most one chunk in memory.
 */
export async function* chunked(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending = Buffer.allocUnsafe(size);
  let filled = 0;
  for await (const piece of source) {
    let offset = 0;
    while (offset < piece.byteLength) {
      const taken = Math.min(size - filled, piece.byteLength - offset);
      pending.set(piece.subarray(offset, offset + taken), filled);
      filled += taken;
      offset += taken;
      if (filled === size) {
        yield pending;
        pending = Buffer.allocUnsafe(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield pending.subarray(0, filled);
}

/** Pairs each item with whether it is the last one (by holding one item back). */
export async function* markingLast<T>(source: AsyncIterable<T>): AsyncGenerator<{ item: T; isLast: boolean }> {
  let previous: { item: T } | undefined;
  for await (const item of source) {
    if (previous) yield { item: previous.item, isLast: false };
    previous = { item };
  }
  if (previous) yield { item: previous.item, isLast: true };
}
