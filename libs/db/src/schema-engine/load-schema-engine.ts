import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as SchemaEngineBindings from '@prisma/schema-engine-wasm';

export type SchemaEngineModule = typeof SchemaEngineBindings;

let loading: Promise<SchemaEngineModule> | undefined;

/**
 * Loads Prisma's schema engine compiled to WebAssembly. The native engine cannot be downloaded
 * offline, and Node 20 cannot `import` a `.wasm` file, so the module is instantiated by hand with
 * its wasm-bindgen glue as the import object. Loaded once per process (the instance is stateless
 * between engines).
 */
export function loadSchemaEngine(): Promise<SchemaEngineModule> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<SchemaEngineModule> {
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue as unknown as SchemaEngineModule;
}

/**
 * The engine arms guard timers (10 s) that outlive its work and would keep a finished CLI or test
 * process alive; unref'd, they still fire while the process has other work.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  const imports = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') continue;
    imports[name] = (...args: unknown[]) => {
      const timer = value(...args) as NodeJS.Timeout;
      timer.unref?.();
      return timer;
    };
  }
  return imports;
}
