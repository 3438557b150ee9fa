import { Injectable } from '@nestjs/common';
import { AuditEvent, Prisma, PrismaService } from '@maas/db';
import type { Principal } from '../principal';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
  ip?: string;
}

type Actor = Pick<Principal, 'kind' | 'userId' | 'apiKeyId'> | { kind: 'anonymous' };

/** Append-only audit trail per tenant: who did what to which resource. Never holds secrets. */
@Injectable()
export class AuditLog {
  constructor(private readonly prisma: PrismaService) {}

  async record(tenantId: string, actor: Actor, entry: AuditEntry, client: Prisma.TransactionClient = this.prisma): Promise<void> {
    await client.auditEvent.create({
      data: {
        tenantId,
        actorType: actor.kind,
        actorId: actorIdOf(actor),
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        details: (entry.details ?? {}) as Prisma.InputJsonValue,
        ip: entry.ip,
      },
    });
  }

  list(tenantId: string, options: { limit: number; before?: bigint }): Promise<AuditEvent[]> {
    return this.prisma.auditEvent.findMany({
      where: { tenantId, ...(options.before ? { id: { lt: options.before } } : {}) },
      orderBy: { id: 'desc' },
      take: options.limit,
    });
  }
}

function actorIdOf(actor: Actor): string | null {
  if (actor.kind === 'anonymous') return null;
  return (actor.kind === 'api-key' ? actor.apiKeyId : actor.userId) ?? null;
}
