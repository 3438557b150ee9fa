import { BadRequestException, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { PASSWORD_STRATEGY } from '../strategies/password.strategy';

/** Passport reports failures as `info`; this guard turns them into a message a person can act on. */
@Injectable()
export class PasswordGuard extends AuthGuard(PASSWORD_STRATEGY) {
  override handleRequest<T>(error: unknown, principal: T): T {
    if (error) throw error;
    if (principal) return principal;
    throw new BadRequestException('email and password are required');
  }
}
