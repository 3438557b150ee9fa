import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { PasswordAuthenticator } from '../accounts/password-authenticator';
import type { Principal } from '../principal';

export const PASSWORD_STRATEGY = 'password';

/** passport-local on `{email, password}` for `POST /v1/auth/login`. */
@Injectable()
export class PasswordStrategy extends PassportStrategy(Strategy, PASSWORD_STRATEGY) {
  constructor(private readonly authenticator: PasswordAuthenticator) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true });
  }

  validate(request: { ip?: string }, email: string, password: string): Promise<Principal> {
    return this.authenticator.authenticate(email, password, request.ip);
  }
}
