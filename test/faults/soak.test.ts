import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServingPlatform, type ServingPlatform } from '../support/fault-platform';
import { residentMegabytes } from '../bench/process-memory';
import { lowestPerWindow, rssSlopeMiBPerMinute } from '../support/memory-slope';
import { countByStatus, startSteadyLoad } from '../support/steady-load';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Length of the soak: 0 in `npm test` (skipped), 300 in `npm run test:faults`. */
    soakSeconds: number;
  }
}

// Heaps, JIT and allocator arenas grow for the first minute or so under a new load: not a leak.
const WARM_UP_SECONDS = 90;
const SAMPLE_EVERY_MS = 5_000;

/**
 * Moderate load for minutes: the process's resident memory must not creep (a leak per request or per
 * usage flush shows as a slope). The slope is fitted over the samples after the warm-up.
 */
describe.skipIf(inject('soakSeconds') === 0)('soak', () => {
  let serving: ServingPlatform;
  beforeAll(async () => {
    serving = await startServingPlatform(inject('databaseUrl'));
  });
  afterAll(async () => {
    await serving?.platform.stop();
  });

  it('holds its memory flat under moderate load', async () => {
    const seconds = inject('soakSeconds');
    const pid = serving.platform.child.pid!;
    const load = startSteadyLoad(4, serving.inferOnce);
    const samples: Array<{ minute: number; mib: number }> = [];
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= WARM_UP_SECONDS) samples.push({ minute: elapsed / 60, mib: residentMegabytes(pid).current });
    }
    const counts = countByStatus(await load.stop());
    // Resident memory saw-tooths by tens of MiB with the garbage collector: the slope is fitted to
    // the lowest sample of each 30 s window (the memory still held after collections), not every sample.
    const troughs = lowestPerWindow(samples, 0.5);
    const slope = rssSlopeMiBPerMinute(troughs);
    const trace = troughs.map((sample) => `${sample.minute.toFixed(1)} min ${sample.mib.toFixed(0)} MiB`).join(', ');
    process.stdout.write(`soak: lowest RSS per 30 s after warm-up: ${trace}\n`);
    process.stdout.write(`soak: ${seconds} s, answers ${JSON.stringify(counts)}, RSS samples ${Math.min(...samples.map((sample) => sample.mib)).toFixed(0)}–${Math.max(...samples.map((sample) => sample.mib)).toFixed(0)} MiB, slope of the troughs after warm-up ${slope.toFixed(2)} MiB/min\n`);
    expect(Object.keys(counts)).toEqual(['200']);
    expect(slope).toBeLessThan(1);
  });
});
