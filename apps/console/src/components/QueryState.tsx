import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';

/** Loading, error and empty states for a query, the same on every page. */
export function QueryState<T>({ query, empty, isEmpty, children }: { query: UseQueryResult<T>; empty?: string; isEmpty?: (data: T) => boolean; children: (data: T) => ReactNode }) {
  if (query.isPending) return <p className="muted" role="status">Loading…</p>;
  if (query.isError) return <ErrorMessage error={query.error} />;
  if (isEmpty?.(query.data)) return <p className="empty">{empty ?? 'Nothing here yet.'}</p>;
  return <>{children(query.data)}</>;
}

export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error instanceof Error ? error.message : String(error)}
    </p>
  );
}
