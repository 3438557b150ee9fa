import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig, MasterKey } from '@maas/config';

/** What a console session token carries; the role is read from the database on every use. */
export interface SessionClaims {
  sub: string;
  tid: string;
  /** Issue time in milliseconds: logout compares it with the user's `sessionsValidAfter`. */
  iatMs: number;
}

/** Short-lived HS256 tokens for console sessions, signed with a key derived from the master key. */
@Injectable()
export class SessionTokens {
  private readonly secret: Buffer;

  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    masterKey: MasterKey,
  ) {
    this.secret = masterKey.derive('console-sessions');
  }

  issue(userId: string, tenantId: string): { token: string; expiresAt: string } {
    const claims: SessionClaims = { sub: userId, tid: tenantId, iatMs: Date.now() };
    const token = this.jwt.sign(claims, { secret: this.secret, expiresIn: this.config.sessionTtlSeconds, algorithm: 'HS256' });
    return { token, expiresAt: new Date(Date.now() + this.config.sessionTtlSeconds * 1000).toISOString() };
  }

  /** The secret passport-jwt verifies with. */
  get verificationKey(): Buffer {
    return this.secret;
  }

  static assertClaims(payload: Partial<SessionClaims>): SessionClaims {
    if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string' || typeof payload.iatMs !== 'number') {
      throw new UnauthorizedException('Session token is malformed; log in again');
    }
    return payload as SessionClaims;
  }
}
