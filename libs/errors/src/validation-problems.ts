/** What a schema validator (zod) reports per problem: where, and what. */
export interface ValidationIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

/**
 * Each problem as one line a person can act on: "field.path: message". An issue about the whole
 * value is named `root` when given, else its message stands alone.
 */
export function describeIssues(issues: readonly ValidationIssue[], root?: string): string[] {
  return issues.map((issue) => {
    const where = issue.path.map(String).join('.') || root;
    return where ? `${where}: ${issue.message}` : issue.message;
  });
}
