import { BadRequestException, ConflictException, HttpStatus, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { Prisma } from '@maas/db';
import { DomainError } from '@maas/errors';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  it('maps a domain error by its kind and keeps its code and message', () => {
    expect(toErrorResponse(new DomainError('not_found', 'MODEL_NOT_FOUND', 'Model "x" not found'))).toEqual({
      status: 404,
      code: 'MODEL_NOT_FOUND',
      message: 'Model "x" not found',
    });
  });

  it('joins validation messages into one sentence list', () => {
    const error = new BadRequestException(['email must be an email', 'password is too short']);
    expect(toErrorResponse(error)).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      message: 'email must be an email; password is too short',
    });
  });

  it('keeps the message of Nest exceptions', () => {
    expect(toErrorResponse(new NotFoundException('API Key not found'))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: 'API Key not found' });
    expect(toErrorResponse(new ConflictException('Email already registered'))).toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('maps a unique-constraint violation to 409', () => {
    const error = new Prisma.PrismaClientKnownRequestError('Unique constraint failed', {
      code: 'P2002',
      clientVersion: 'test',
      meta: { target: ['tenantId', 'name'] },
    });
    expect(toErrorResponse(error)).toEqual({
      status: HttpStatus.CONFLICT,
      code: 'CONFLICT',
      message: 'A resource with the same tenantId, name already exists',
    });
  });

  it('hides the details of unexpected errors behind a reference id', () => {
    const response = toErrorResponse(new TypeError('secret internals at line 42'));
    expect(response.status).toBe(500);
    expect(response.code).toBe('INTERNAL');
    expect(response.message).toBe(`Internal error (reference ${response.errorId})`);
    expect(response.message).not.toContain('secret internals');
  });

  it.each([
    ['a server shutting down (57P01)', Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a lost connection, wrapped', new Error('query failed', { cause: new Error('Connection terminated unexpectedly') })],
    ["Prisma's adapter error", Object.assign(new Error('driver adapter error'), { cause: { kind: 'DatabaseNotReachable' } })],
    ['a starting server', Object.assign(new Error('the database system is starting up'), { code: '57P03' })],
  ])('answers %s with 503, DATABASE_UNAVAILABLE and Retry-After', (_what, error) => {
    expect(toErrorResponse(error)).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE', retryAfterSeconds: 2, message: expect.stringMatching(/database is unavailable/) });
  });

  it('keeps query errors that are not about reachability as they are', () => {
    expect(toErrorResponse(Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' })).status).toBe(500);
  });

  it('asks for a retry on every 503', () => {
    expect(toErrorResponse(new DomainError('unavailable', 'QUEUE_FULL', 'queue is full')).retryAfterSeconds).toBe(1);
    expect(toErrorResponse(new DomainError('invalid', 'BAD', 'bad')).retryAfterSeconds).toBeUndefined();
  });
});
