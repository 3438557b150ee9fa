import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService, User } from '@maas/db';
import { AuditLog, effectiveRole, mintInviteToken, normaliseEmail, Principal, Role, UsersRepository } from '@maas/identity';
import { ChangeRoleDto } from './dto/change-role.dto';
import { InviteMemberDto } from './dto/invite-member.dto';
import { assertMayManage } from './member-rules';

const INVITE_VALIDITY_MS = 7 * 24 * 3600 * 1000;

@Injectable()
export class MembersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly prisma: PrismaService,
    private readonly audit: AuditLog,
  ) {}

  async list(tenantId: string) {
    return (await this.users.list(tenantId)).map(toView);
  }

  /** Creates the member with a one-time invitation token (returned once) to set their password with. */
  async invite(principal: Principal, dto: InviteMemberDto, ip?: string) {
    const email = normaliseEmail(dto.email);
    if (await this.users.findByEmailForLogin(email)) throw new ConflictException(`An account with email ${email} already exists`);
    const { token, tokenHash } = mintInviteToken();
    const user = await this.prisma.user.create({
      data: {
        tenantId: principal.tenantId,
        email,
        role: dto.role,
        invitedById: principal.userId,
        inviteTokenHash: new Uint8Array(tokenHash),
        inviteExpiresAt: new Date(Date.now() + INVITE_VALIDITY_MS),
      },
    });
    await this.audit.record(principal.tenantId, principal, { action: 'member.invited', targetType: 'user', targetId: user.id, details: { email, role: dto.role }, ip });
    return { member: toView(user), inviteToken: token, inviteExpiresAt: user.inviteExpiresAt };
  }

  async changeRole(principal: Principal, id: string, dto: ChangeRoleDto, ip?: string) {
    const target = await this.findMember(principal.tenantId, id);
    assertMayManage({ role: effectiveRole(principal), userId: principal.userId }, { id, role: target.role as Role }, dto.role);
    const updated = await this.users.update(principal.tenantId, id, { role: dto.role });
    await this.audit.record(principal.tenantId, principal, { action: 'member.role_changed', targetType: 'user', targetId: id, details: { from: target.role, to: dto.role }, ip });
    return toView(updated!);
  }

  async remove(principal: Principal, id: string, ip?: string): Promise<void> {
    const target = await this.findMember(principal.tenantId, id);
    assertMayManage({ role: effectiveRole(principal), userId: principal.userId }, { id, role: target.role as Role });
    await this.users.delete(principal.tenantId, id);
    await this.audit.record(principal.tenantId, principal, { action: 'member.removed', targetType: 'user', targetId: id, details: { email: target.email }, ip });
  }

  private async findMember(tenantId: string, id: string): Promise<User> {
    const user = await this.users.find(tenantId, id);
    if (!user) throw new NotFoundException(`Member ${id} not found`);
    return user;
  }
}

function toView(user: User) {
  return { id: user.id, email: user.email, role: user.role, pending: user.passwordHash === null, createdAt: user.createdAt, lastLoginAt: user.lastLoginAt };
}
