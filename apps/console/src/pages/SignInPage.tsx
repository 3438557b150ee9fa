import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { ErrorMessage } from '../components/QueryState';
import { submitFields } from '../form-submit';
import { href, useHashRoute } from '../hash-route';
import { useSession } from '../session';

/** Log in, sign up a new organisation (which answers with a session and the first API key), or accept an invitation. */
export function SignInPage() {
  const [page, token] = useHashRoute();
  if (page === 'accept-invite' && token) return <AcceptInvite token={token} />;
  return <LogInOrSignUp />;
}

function AcceptInvite({ token }: { token: string }) {
  const { signIn } = useSession();
  const accept = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.POST('/v1/auth/accept-invite', { body: { token, password: String(form.get('password')) } })),
    onSuccess: (answer) => {
      window.location.hash = href('models');
      signIn(answer.session.token);
    },
  });
  const submit = submitFields((fields) => accept.mutate(fields));
  return (
    <main className="narrow">
      <h1>Join your organisation</h1>
      <form onSubmit={submit} className="stack">
        <label>
          Choose a password
          <input name="password" type="password" autoComplete="new-password" minLength={10} required />
        </label>
        <button type="submit" disabled={accept.isPending}>
          Accept the invitation
        </button>
        <ErrorMessage error={accept.error} />
      </form>
    </main>
  );
}

function LogInOrSignUp() {
  const { signIn, endedBecause } = useSession();
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const [firstKey, setFirstKey] = useState<{ key: string; token: string }>();
  const login = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.POST('/v1/auth/login', { body: { email: String(form.get('email')), password: String(form.get('password')) } })),
    onSuccess: (answer) => signIn(answer.session.token),
  });
  const signup = useMutation({
    mutationFn: async (form: FormData) => unwrap(await api.POST('/v1/auth/signup', { body: { email: String(form.get('email')), password: String(form.get('password')), organization: String(form.get('organization')) } })),
    onSuccess: (answer) => setFirstKey({ key: answer.apiKey.key, token: answer.session.token }),
  });
  const submit = submitFields((fields) => (mode === 'login' ? login : signup).mutate(fields));
  if (firstKey) {
    return (
      <main className="narrow">
        <h1>Welcome</h1>
        <SecretOnce secret={firstKey.key} />
        <button onClick={() => signIn(firstKey.token)}>Continue to the console</button>
      </main>
    );
  }
  const pending = login.isPending || signup.isPending;
  return (
    <main className="narrow">
      <h1>{mode === 'login' ? 'Log in' : 'Sign up'}</h1>
      {endedBecause && <p className="warning" role="status">{endedBecause}</p>}
      <form onSubmit={submit} className="stack">
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete={mode === 'login' ? 'current-password' : 'new-password'} minLength={mode === 'signup' ? 10 : undefined} required />
        </label>
        {mode === 'signup' && (
          <label>
            Organisation
            <input name="organization" required />
          </label>
        )}
        <button type="submit" disabled={pending}>
          {pending ? 'Working…' : mode === 'login' ? 'Log in' : 'Create the organisation'}
        </button>
        <ErrorMessage error={login.error ?? signup.error} />
      </form>
      <p>
        {mode === 'login' ? 'New here? ' : 'Have an account? '}
        <button className="link" onClick={() => setMode(mode === 'login' ? 'signup' : 'login')}>
          {mode === 'login' ? 'Sign up' : 'Log in'}
        </button>
      </p>
    </main>
  );
}

/** A secret the server shows once: with a copy button and a warning that it will not be shown again. */
export function SecretOnce({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="secret" role="region" aria-label="New API key">
      <p className="warning">Copy this API key now: it is shown this once and cannot be recovered.</p>
      <code data-testid="secret">{secret}</code>
      <button
        onClick={async () => {
          await navigator.clipboard?.writeText(secret).catch(() => undefined);
          setCopied(true);
        }}
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}
