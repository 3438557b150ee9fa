import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setSessionToken, whenSessionEnds } from './api/client';

interface Session {
  token: string | undefined;
  /** Why the last session ended without a log-out (shown on the log-in page). */
  endedBecause: string | undefined;
  signIn(token: string): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/**
 * The console session is the platform's short-lived JWT, kept in memory (this React state), never
 * in localStorage or a cookie: script injected into the page cannot read it from storage later,
 * and a bearer header needs no CSRF protection (a cookie would, on every mutating route). The
 * cost: a reload asks for the password again.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string>();
  const [endedBecause, setEndedBecause] = useState<string>();
  const queries = useQueryClient();
  const signIn = useCallback((next: string) => {
    setSessionToken(next);
    setEndedBecause(undefined);
    setToken(next);
  }, []);
  useEffect(() => {
    whenSessionEnds(() => {
      setSessionToken(undefined);
      queries.clear();
      setToken(undefined);
      setEndedBecause('Your session has ended (sessions last 15 minutes): log in again.');
    });
    return () => whenSessionEnds(undefined);
  }, [queries]);
  const signOut = useCallback(async () => {
    await api.POST('/v1/auth/logout').catch(() => undefined);
    setSessionToken(undefined);
    queries.clear();
    setToken(undefined);
  }, [queries]);
  const value = useMemo(() => ({ token, endedBecause, signIn, signOut }), [token, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
