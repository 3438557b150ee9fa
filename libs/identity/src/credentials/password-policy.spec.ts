import { describe, expect, it } from 'vitest';
import { normaliseEmail, passwordWeakness } from './password-policy';

describe('password policy', () => {
  it.each([
    ['short-1', 'password must be at least 10 characters long'],
    ['x'.repeat(257), 'password must be at most 256 characters long'],
    ['abcdefghijk', 'password must mix letters with digits or symbols'],
    ['1234567890-', 'password must mix letters with digits or symbols'],
    ['aaaa1111aaaa', 'password repeats too few different characters'],
    ['Password123', 'password is too common'],
    ['Ada.Lovelace#1815', 'password must not contain your email address'],
  ])('%s → %s', (password, reason) => {
    expect(passwordWeakness(password, 'ada.lovelace@example.com')).toBe(reason);
  });

  it('accepts a reasonable password', () => {
    expect(passwordWeakness('correct-horse-7-battery', 'ada@example.com')).toBeUndefined();
  });

  it('normalises emails by trimming and lower-casing', () => {
    expect(normaliseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });
});
