// Node has WebAssembly, but @types/node 20 does not declare it and lib.dom would bring a browser's
// globals into server code; this is the part the schema-engine loader uses.
declare namespace WebAssembly {
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  function instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: Instance }>;
}
