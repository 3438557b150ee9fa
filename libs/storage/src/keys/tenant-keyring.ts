import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MasterKey } from '@maas/config';
import { PrismaService } from '@maas/db';
import { KeyWrapper } from './key-wrapping';

/**
 * Each tenant's data key: created on first use, stored only wrapped, unwrapped on demand and kept
 * in memory for this process. Concurrent first uses agree on one key (the first write wins).
 */
@Injectable()
export class TenantKeyring {
  private readonly wrapper: KeyWrapper;
  private readonly unwrapped = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly prisma: PrismaService,
    masterKey: MasterKey,
  ) {
    this.wrapper = new KeyWrapper(masterKey);
  }

  dataKey(tenantId: string): Promise<Buffer> {
    let key = this.unwrapped.get(tenantId);
    if (!key) {
      key = this.loadOrCreate(tenantId);
      this.unwrapped.set(tenantId, key);
      key.catch(() => this.unwrapped.delete(tenantId));
    }
    return key;
  }

  private async loadOrCreate(tenantId: string): Promise<Buffer> {
    const fresh = this.wrapper.wrap(tenantId, randomBytes(32));
    await this.prisma.tenant.updateMany({ where: { id: tenantId, wrappedDataKey: null }, data: { wrappedDataKey: new Uint8Array(fresh), kekId: this.wrapper.kekId } });
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { wrappedDataKey: true, kekId: true } });
    if (!tenant?.wrappedDataKey) throw new Error(`tenant ${tenantId} does not exist`);
    if (tenant.kekId !== this.wrapper.kekId) {
      throw new Error(`tenant ${tenantId}'s data key is wrapped by master key ${tenant.kekId}, but the configured master key is ${this.wrapper.kekId}: set the right MAAS_MASTER_KEY (or run npm run keys:rotate)`);
    }
    return this.wrapper.unwrap(tenantId, tenant.wrappedDataKey);
  }
}
