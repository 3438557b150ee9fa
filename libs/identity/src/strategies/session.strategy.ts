import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UsersRepository } from '../accounts/users.repository';
import { SessionClaims, SessionTokens } from '../credentials/session-tokens';
import type { Principal } from '../principal';
import { Role, scopesOfRole } from '../scopes';

export const SESSION_STRATEGY = 'session';

/** Console sessions: a short-lived JWT; the user's current role decides its scopes. */
@Injectable()
export class SessionStrategy extends PassportStrategy(Strategy, SESSION_STRATEGY) {
  constructor(
    private readonly users: UsersRepository,
    tokens: SessionTokens,
  ) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: tokens.verificationKey, algorithms: ['HS256'] });
  }

  async validate(payload: Partial<SessionClaims>): Promise<Principal> {
    const claims = SessionTokens.assertClaims(payload);
    const user = await this.users.find(claims.tid, claims.sub);
    if (!user) throw new UnauthorizedException('Session is no longer valid: the account was removed');
    if (user.sessionsValidAfter && claims.iatMs < user.sessionsValidAfter.getTime()) throw new UnauthorizedException('Session has ended (logged out); log in again');
    const role = user.role as Role;
    return { kind: 'session', tenantId: user.tenantId, userId: user.id, role, scopes: scopesOfRole(role) };
  }
}
