import { defineConfig } from 'vitest/config';
import base from './vitest.config.mts';

/**
 * `npm run test:faults`: the fault suite at full scale — the fault tests of test/faults (which
 * `npm test` runs too, but for the soak), the 5-minute soak, and every fuzz property with 100,000
 * cases. Spread rather than merged: Vite's mergeConfig would concatenate the include lists.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/faults/**/*.test.ts', 'libs/**/*.fuzz.spec.ts', 'apps/**/*.fuzz.spec.ts'],
    provide: { fuzzRuns: 100_000, soakSeconds: 300 },
    testTimeout: 900_000,
  },
});
