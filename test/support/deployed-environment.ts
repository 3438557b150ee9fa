/**
 * What `npm start` and the Dockerfile set around the platform's process, for tests and benchmarks
 * that start it themselves: glibc's malloc arenas capped (README, Reliability).
 */
export const DEPLOYED_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
