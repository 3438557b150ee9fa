const MIN_LENGTH = 10;
const MAX_LENGTH = 256;
const COMMON_PASSWORDS = new Set(['password12', 'password123', '1234567890', 'qwertyuiop', 'iloveyou12', 'letmein123', 'welcome123', 'changeme12', 'admin12345', 'passw0rd12']);

/** Why a password is too weak, or undefined when it is acceptable. Reasons are shown to the user. */
export function passwordWeakness(password: string, email: string): string | undefined {
  if (password.length < MIN_LENGTH) return `password must be at least ${MIN_LENGTH} characters long`;
  if (password.length > MAX_LENGTH) return `password must be at most ${MAX_LENGTH} characters long`;
  if (!/[A-Za-z]/.test(password) || !/[^A-Za-z]/.test(password)) return 'password must mix letters with digits or symbols';
  if (new Set(password).size < 5) return 'password repeats too few different characters';
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return 'password is too common';
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (localPart.length >= 3 && lowered.includes(localPart)) return 'password must not contain your email address';
  return undefined;
}

/** Emails are compared trimmed and lower-cased; that form is the one stored. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
