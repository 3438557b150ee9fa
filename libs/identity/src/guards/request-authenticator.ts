import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { credentialOf } from '../credentials/request-credentials';
import type { Principal } from '../principal';
import type { Scope } from '../scopes';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { runStrategy } from '../strategies/run-strategy';
import { SessionStrategy } from '../strategies/session.strategy';

interface Credentialed {
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Who is calling and what they may do, for the global guards and for routes served outside Nest's
 * router (the gateway's inference routes). The credential's shape picks the check: an `mk_` key goes
 * to the ApiKeyVerifier (synchronous for a cached key), a session token to the Passport session
 * strategy, run by Passport's own protocol (run-strategy.ts) so the caller gets its reason.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    private readonly apiKeys: ApiKeyVerifier,
    private readonly sessions: SessionStrategy,
  ) {}

  authenticate(request: Credentialed): Principal | Promise<Principal> {
    const credential = credentialOf(request.headers);
    if (!credential) throw new UnauthorizedException('Missing credentials: send an API key as "Authorization: Bearer mk_..." or "X-API-Key: mk_...", or a console session token');
    if (credential.kind === 'session') return runStrategy<Principal>(this.sessions as never, request, sessionFailure);
    // What ApiKeyStrategy.authenticate does, without Passport's protocol around it: this is every inference request.
    return this.apiKeys.verify(credential.value);
  }

  /** The caller must hold every scope named. */
  authorize(principal: Principal | undefined, required: readonly Scope[]): void {
    if (principal && required.every((scope) => principal.scopes.includes(scope))) return;
    const missing = required.filter((scope) => !principal?.scopes.includes(scope));
    const who = principal?.kind === 'session' ? `Your role (${principal.role?.toLowerCase()})` : 'This API key';
    throw new ForbiddenException(`${who} lacks the scope ${missing.join(', ')} that this request needs`);
  }
}

/** passport-jwt fails with the verification error as its challenge; a person needs to know what to do. */
function sessionFailure(challenge: unknown): string {
  if ((challenge as { name?: string } | undefined)?.name === 'TokenExpiredError') return 'Session token expired; log in again';
  return 'Session token is invalid; log in again';
}
