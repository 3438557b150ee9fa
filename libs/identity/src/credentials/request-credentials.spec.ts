import { describe, expect, it } from 'vitest';
import { credentialOf } from './request-credentials';

describe('credentialOf', () => {
  const key = `mk_0123456789abcdef_${'a'.repeat(43)}`;
  it.each([
    [{ authorization: `Bearer ${key}` }, { kind: 'api-key', value: key }],
    [{ authorization: `bearer   ${key}  ` }, { kind: 'api-key', value: key }],
    [{ 'x-api-key': ` ${key} ` }, { kind: 'api-key', value: key }],
    [{ 'x-api-key': key, authorization: 'Bearer a.b.c' }, { kind: 'api-key', value: key }],
    [{ authorization: 'Bearer a.b.c' }, { kind: 'session', value: 'a.b.c' }],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [{ authorization: 'Bearer ' }, undefined],
    [{ authorization: 'Bearer two words' }, undefined],
    [{}, undefined],
  ])('%j', (headers, expected) => {
    expect(credentialOf(headers)).toEqual(expected);
  });
});
