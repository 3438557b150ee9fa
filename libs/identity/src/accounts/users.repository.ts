import { Injectable } from '@nestjs/common';
import { PrismaService, User } from '@maas/db';

/** User rows. Every method but the login lookup takes the tenant first. */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  find(tenantId: string, id: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { id_tenantId: { id, tenantId } } });
  }

  list(tenantId: string): Promise<User[]> {
    return this.prisma.user.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } });
  }

  /** Login: the email (unique across the platform) names the tenant. */
  findByEmailForLogin(email: string): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { email } });
  }

  /** Accepting an invitation: the token's hash names the user. */
  findByInviteTokenHash(inviteTokenHash: Buffer): Promise<User | null> {
    return this.prisma.user.findUnique({ where: { inviteTokenHash: new Uint8Array(inviteTokenHash) } });
  }

  async update(tenantId: string, id: string, data: Partial<Pick<User, 'role' | 'passwordHash' | 'inviteTokenHash' | 'inviteExpiresAt' | 'sessionsValidAfter' | 'lastLoginAt'>>): Promise<User | null> {
    const { count } = await this.prisma.user.updateMany({ where: { id, tenantId }, data });
    return count ? this.find(tenantId, id) : null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.user.deleteMany({ where: { id, tenantId } });
    return count === 1;
  }
}
