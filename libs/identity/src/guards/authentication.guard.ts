import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC } from '../decorators/public.decorator';
import { Principal } from '../principal';
import { RequestAuthenticator } from './request-authenticator';

/**
 * Global: every route needs credentials unless marked `@Public()` (see RequestAuthenticator). API
 * keys, the hot path, skip `passport.authenticate`'s per-request machinery: through it they cost
 * about a fifth of the throughput.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: Principal }>();
    const principal = this.authenticator.authenticate(request);
    if (principal instanceof Promise) return principal.then((resolved) => Boolean((request.user = resolved)));
    request.user = principal;
    return true;
  }
}
