import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_SCOPES } from '../decorators/scopes.decorator';
import type { Principal } from '../principal';
import type { Scope } from '../scopes';

/** Global, after authentication: the caller must hold every scope the route names. */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    const principal = context.switchToHttp().getRequest<{ user?: Principal }>().user;
    if (principal && required.every((scope) => principal.scopes.includes(scope))) return true;
    const missing = required.filter((scope) => !principal?.scopes.includes(scope));
    const who = principal?.kind === 'session' ? `Your role (${principal.role?.toLowerCase()})` : 'This API key';
    throw new ForbiddenException(`${who} lacks the scope ${missing.join(', ')} that this request needs`);
  }
}
