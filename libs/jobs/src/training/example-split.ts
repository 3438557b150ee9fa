/** A small seeded PRNG (mulberry32): the same seed gives the same shuffles on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 0..count-1 in a random order (Fisher–Yates). */
export function permutation(count: number, random: () => number): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other], order[index]];
  }
  return order;
}

/** Training and validation rows: the last `fraction` of one fixed shuffle is held out. */
export function splitRows(count: number, fraction: number, random: () => number): { train: number[]; validation: number[] } {
  const order = permutation(count, random);
  const held = fraction > 0 ? Math.max(1, Math.round(count * fraction)) : 0;
  return { train: order.slice(0, count - held), validation: order.slice(count - held) };
}
