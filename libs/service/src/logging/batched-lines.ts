import type { DestinationStream } from 'pino';

/** Lines gathered before one write: a few dozen access lines. */
const BATCH_CHARS = 16_384;

/**
 * Log lines gathered in an array and handed to the destination joined, ~16 KiB at a time. pino's
 * SonicBoom can gather lines itself (`minLength`), but it appends each line to one growing string
 * and measures that string's UTF-8 length again on every write: 1.4 µs per line here against 0.3
 * for a join per batch (300k access lines to /dev/null, same machine), ~2 % of the inference
 * route's CPU. The destination should write through (`minLength: 0`); `flush` writes what is held.
 */
export class BatchedLines implements DestinationStream {
  private lines: string[] = [];
  private chars = 0;

  constructor(private readonly destination: DestinationStream & { flushSync(): void }) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= BATCH_CHARS) this.flush();
  }

  /** Hands the held lines to the destination (which writes them now when it writes through). */
  flush(): void {
    if (this.lines.length === 0) return;
    const joined = this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.destination.write(joined);
  }

  /** At exit: everything held, written before the process ends. */
  flushSync(): void {
    this.flush();
    this.destination.flushSync();
  }
}
