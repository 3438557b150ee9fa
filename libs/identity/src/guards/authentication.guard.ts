import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { credentialOf } from '../credentials/request-credentials';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { ApiKeyGuard, SessionGuard } from './strategy-guards';

/**
 * Global: every route needs credentials unless marked `@Public()`. The credential's shape picks
 * the Passport strategy (an `mk_` key or a session token), so the caller gets that strategy's
 * own reason when it fails.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly apiKeyGuard = new ApiKeyGuard();
  private readonly sessionGuard = new SessionGuard();

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const credential = credentialOf(context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers);
    if (!credential) throw new UnauthorizedException('Missing credentials: send an API key as "Authorization: Bearer mk_..." or "X-API-Key: mk_...", or a console session token');
    return (credential.kind === 'api-key' ? this.apiKeyGuard : this.sessionGuard).canActivate(context);
  }
}
