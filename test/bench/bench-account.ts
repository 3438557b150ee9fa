/** Signs up a tenant on the bench server and returns its first API key (all scopes). */
export async function benchApiKey(serverUrl: string): Promise<string> {
  const response = await fetch(`${serverUrl}/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, password: 'bench-password-42', organization: 'Bench' }),
  });
  if (response.status !== 201) throw new Error(`bench sign-up failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { apiKey: { key: string } }).apiKey.key;
}
