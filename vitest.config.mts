import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const lib = (name: string) => resolve(import.meta.dirname, `libs/${name}/src/index.ts`);

// SWC compiles the tests so Nest's decorator metadata survives (esbuild/oxc drop it).
export default defineConfig({
  oxc: false,
  plugins: [
    swc.vite({
      tsconfigFile: false,
      swcrc: false,
      module: { type: 'es6' },
      jsc: {
        target: 'es2022',
        keepClassNames: true,
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      },
    }),
  ],
  resolve: {
    alias: {
      '@maas/config': lib('config'),
      '@maas/db': lib('db'),
      '@maas/service': lib('service'),
      '@maas/errors': lib('errors'),
      '@maas/tensor': lib('tensor'),
      '@maas/identity': lib('identity'),
      '@maas/storage': lib('storage'),
      '@maas/runtime': lib('runtime'),
      '@maas/registry': lib('registry'),
      '@maas/usage': lib('usage'),
      '@maas/jobs': lib('jobs'),
      '@maas/pipeline': lib('pipeline'),
    },
  },
  test: {
    include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Fuzz cases per property (test/support/fuzz.ts) and the soak's length: `npm run test:faults` runs 100,000 and 300 s.
    provide: { fuzzRuns: 2_000, soakSeconds: 0 },
  },
});
