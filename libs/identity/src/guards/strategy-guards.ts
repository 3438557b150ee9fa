import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { PASSWORD_STRATEGY } from '../strategies/password.strategy';
import { SESSION_STRATEGY } from '../strategies/session.strategy';

/** Passport reports failures as `info`; these guards turn them into messages a person can act on. */
@Injectable()
export class SessionGuard extends AuthGuard(SESSION_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T, info?: { name?: string }): T {
    if (error) throw error;
    if (principal) return principal;
    if (info?.name === 'TokenExpiredError') throw new UnauthorizedException('Session token expired; log in again');
    throw new UnauthorizedException('Session token is invalid; log in again');
  }
}

@Injectable()
export class PasswordGuard extends AuthGuard(PASSWORD_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error) throw error;
    if (principal) return principal;
    throw new BadRequestException('email and password are required');
  }
}
