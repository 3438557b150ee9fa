import { Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { passwordMatches } from '../credentials/password-hasher';
import { normaliseEmail } from '../credentials/password-policy';
import type { Principal } from '../principal';
import { Role, scopesOfRole } from '../scopes';
import { UsersRepository } from './users.repository';

/** Email + password login; a failure for a known account is audited in its tenant. */
@Injectable()
export class PasswordAuthenticator {
  constructor(
    private readonly users: UsersRepository,
    private readonly audit: AuditLog,
  ) {}

  async authenticate(email: string, password: string, ip?: string): Promise<Principal> {
    const user = await this.users.findByEmailForLogin(normaliseEmail(email));
    if (!(await passwordMatches(password, user?.passwordHash))) {
      if (user) await this.audit.record(user.tenantId, { kind: 'anonymous' }, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, ip });
      throw new UnauthorizedException('Email or password is incorrect');
    }
    await this.users.update(user!.tenantId, user!.id, { lastLoginAt: new Date() });
    const role = user!.role as Role;
    return { kind: 'session', tenantId: user!.tenantId, userId: user!.id, role, scopes: scopesOfRole(role) };
  }
}
