import { HttpException } from '@nestjs/common';
import fc from 'fast-check';
import { inject } from 'vitest';
import { DomainError } from '@maas/errors';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Cases per fuzz property: a few thousand in `npm test`, 100,000 in `npm run test:faults`. */
    fuzzRuns: number;
  }
}

/** Fixed seed: a failure found once is found again. Shrunk counterexamples become regression cases. */
export const FUZZ_SEED = 20261201;

/** Runs `property` over `arbitrary` at the configured scale, seeded, with the counterexample shrunk. */
export function fuzz<T>(arbitrary: fc.Arbitrary<T>, property: (value: T) => void | Promise<void>, runsFactor = 1): Promise<void> | void {
  const numRuns = Math.max(100, Math.round(inject('fuzzRuns') * runsFactor));
  const isAsync = property.constructor.name === 'AsyncFunction';
  if (isAsync) return fc.assert(fc.asyncProperty(arbitrary, async (value) => void (await property(value))), { numRuns, seed: FUZZ_SEED, endOnFailure: false });
  fc.assert(fc.property(arbitrary, (value) => void property(value)), { numRuns, seed: FUZZ_SEED });
}

/**
 * Input a client controls may be refused, but only as a client error (a DomainError or a 4xx): a
 * TypeError, RangeError or SyntaxError escaping a parser would reach the client as a 500.
 */
export function refusedAsClientError(error: unknown): boolean {
  if (error instanceof DomainError) return error.kind !== 'unavailable';
  if (error instanceof HttpException) return error.getStatus() >= 400 && error.getStatus() < 500;
  return false;
}

export function expectClientErrorOrResult<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    if (refusedAsClientError(error)) return undefined;
    throw error;
  }
}

export async function expectClientErrorOrResolved<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (refusedAsClientError(error)) return undefined;
    throw error;
  }
}
