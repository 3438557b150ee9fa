import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Built into dist/console, which the platform serves at / (apps/platform/src/console/console-files.ts).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: '../../dist/console', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/v2': 'http://127.0.0.1:3000' } },
});
