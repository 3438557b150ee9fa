import { BadRequestException, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuditLog, hashInviteToken, hashPassword, passwordWeakness, Principal, SessionTokens, UsersRepository } from '@maas/identity';
import { AcceptInviteDto } from './dto/accept-invite.dto';

@Injectable()
export class SessionsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: SessionTokens,
    private readonly audit: AuditLog,
  ) {}

  login(principal: Principal) {
    return { session: this.tokens.issue(principal.userId!, principal.tenantId) };
  }

  /** Ends every console session of the user (tokens are stateless; their issue time is compared). */
  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== 'session') throw new BadRequestException('logout ends console sessions; an API key is revoked with DELETE /v1/keys/{id}');
    await this.users.update(principal.tenantId, principal.userId!, { sessionsValidAfter: new Date() });
  }

  async acceptInvite(dto: AcceptInviteDto, ip?: string) {
    const user = await this.users.findByInviteTokenHash(hashInviteToken(dto.token));
    if (!user || !user.inviteExpiresAt || user.inviteExpiresAt.getTime() < Date.now()) {
      throw new UnauthorizedException('Invitation is unknown, already used or expired; ask for a new one');
    }
    const weakness = passwordWeakness(dto.password, user.email);
    if (weakness) throw new BadRequestException(weakness);
    await this.users.update(user.tenantId, user.id, { passwordHash: await hashPassword(dto.password), inviteTokenHash: null, inviteExpiresAt: null, lastLoginAt: new Date() });
    await this.audit.record(user.tenantId, { kind: 'session', userId: user.id }, { action: 'member.joined', targetType: 'user', targetId: user.id, ip });
    return { user: { id: user.id, email: user.email, role: user.role }, session: this.tokens.issue(user.id, user.tenantId) };
  }
}
