/** Distinct labels seen so far (up to a bound), and whether all of them were numbers. */
export class LabelTally {
  private readonly distinct = new Set<string>();
  private overflowed = false;
  allNumeric = true;

  add(label: string | number): void {
    if (typeof label !== 'number') this.allNumeric = false;
    if (this.overflowed) return;
    this.distinct.add(String(label));
    if (this.distinct.size > 10_000) this.overflowed = true;
  }

  /** Sorted classes (numerically when all labels are numbers), or null beyond `limit`. */
  classes(limit: number): string[] | null {
    if (this.overflowed || this.distinct.size > limit) return null;
    const values = [...this.distinct];
    return this.allNumeric ? values.sort((a, b) => Number(a) - Number(b)) : values.sort();
  }
}
