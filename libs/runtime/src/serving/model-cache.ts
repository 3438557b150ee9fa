interface Releasable {
  release(): Promise<void>;
}

interface Entry<T> {
  value: Promise<T>;
  sizeBytes: number;
  /** When it was last asked for, as a count of requests: the order is all an LRU needs, and no clock is read per request. */
  lastUsed: number;
}

/**
 * Loaded models, least recently used first out, bounded by the models' sizes in bytes. Concurrent
 * first requests share one load; a load that fails is forgotten so the next request retries;
 * eviction releases the model (its worker threads and native memory).
 */
export class ModelCache<T extends Releasable> {
  private readonly entries = new Map<string, Entry<T>>();
  private usedBytes = 0;
  private uses = 0;

  constructor(private readonly budgetBytes: number) {}

  get(key: string, sizeBytes: number, load: () => Promise<T>): Promise<T> {
    const existing = this.entries.get(key);
    if (existing) {
      existing.lastUsed = ++this.uses;
      return existing.value;
    }
    const value = load();
    const entry: Entry<T> = { value, sizeBytes, lastUsed: ++this.uses };
    this.entries.set(key, entry);
    this.usedBytes += sizeBytes;
    value.then(
      () => this.evictBeyondBudget(key),
      () => this.forget(key, entry),
    );
    return value;
  }

  /** Unloads every entry whose key matches (a deleted version, a moved alias's old target…). */
  evict(matches: (key: string) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(key)) this.unload(key, entry);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get loadedBytes(): number {
    return this.usedBytes;
  }

  async clear(): Promise<void> {
    const values = [...this.entries.values()].map((entry) => entry.value);
    this.entries.clear();
    this.usedBytes = 0;
    await Promise.all(values.map((value) => value.then((loaded) => loaded.release(), () => undefined)));
  }

  private evictBeyondBudget(justLoaded: string): void {
    const byAge = [...this.entries].filter(([key]) => key !== justLoaded).sort(([, a], [, b]) => a.lastUsed - b.lastUsed);
    for (const [key, entry] of byAge) {
      if (this.usedBytes <= this.budgetBytes) return;
      this.unload(key, entry);
    }
  }

  private unload(key: string, entry: Entry<T>): void {
    this.forget(key, entry);
    void entry.value.then((loaded) => loaded.release(), () => undefined);
  }

  private forget(key: string, entry: Entry<T>): void {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    this.usedBytes -= entry.sizeBytes;
  }
}
