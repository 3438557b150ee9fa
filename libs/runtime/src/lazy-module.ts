/**
 * A module imported on first use. From compiled CommonJS, `import()` of another compiled module
 * yields its exports under `default` (SWC's output has no named exports Node can detect); from
 * TypeScript sources (tests) it yields them directly. Either way the caller gets the exports.
 */
export async function importLazily<T extends object>(load: () => Promise<unknown>, expectedExport: keyof T): Promise<T> {
  const loaded = (await load()) as Record<string, unknown>;
  return (expectedExport in loaded ? loaded : loaded.default) as T;
}
