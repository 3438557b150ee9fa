/** A version named in a URL: its number, or an alias. */
export type VersionReference = { number: number } | { alias: string };

export function parseVersionReference(text: string): VersionReference {
  return /^[1-9]\d{0,8}$/.test(text) ? { number: Number(text) } : { alias: text };
}

/** Alias names: start with a letter (so they never look like a version number). */
export const ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;

/** Model names, as they appear in URLs. */
export const MODEL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
