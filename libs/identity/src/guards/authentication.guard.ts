import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { credentialOf } from '../credentials/request-credentials';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { Principal } from '../principal';
import { ApiKeyStrategy } from '../strategies/api-key.strategy';
import { runStrategy } from '../strategies/run-strategy';
import { SessionGuard } from './strategy-guards';

/**
 * Global: every route needs credentials unless marked `@Public()`. The credential's shape picks
 * the Passport strategy (an `mk_` key or a session token), so the caller gets that strategy's
 * own reason when it fails. API keys, the hot path, run their strategy directly (see
 * run-strategy.ts): through `passport.authenticate` they cost about a fifth of the throughput.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly sessionGuard = new SessionGuard();

  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyStrategy,
  ) {}

  canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: Principal }>();
    const credential = credentialOf(request.headers);
    if (!credential) throw new UnauthorizedException('Missing credentials: send an API key as "Authorization: Bearer mk_..." or "X-API-Key: mk_...", or a console session token');
    if (credential.kind === 'session') return this.sessionGuard.canActivate(context);
    const principal = runStrategy<Principal>(this.apiKeys, request);
    if (principal instanceof Promise) return principal.then((resolved) => Boolean((request.user = resolved)));
    request.user = principal;
    return true;
  }
}
