import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_SCOPES } from '../decorators/scopes.decorator';
import type { Principal } from '../principal';
import type { Scope } from '../scopes';
import { RequestAuthenticator } from './request-authenticator';

/** Global, after authentication: the caller must hold every scope the route names. */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    this.authenticator.authorize(context.switchToHttp().getRequest<{ user?: Principal }>().user, required);
    return true;
  }
}
