import type { MasterKey } from '@maas/config';
import type { PrismaClient } from '@maas/db';
import { KeyWrapper } from './key-wrapping';

/**
 * Re-wraps every tenant's data key from the old master key to the new one, in one transaction.
 * Artifacts are not touched: they stay sealed under the same data keys.
 */
export async function rotateMasterKey(prisma: PrismaClient, from: MasterKey, to: MasterKey): Promise<{ rewrapped: number; kekId: string }> {
  const oldWrapper = new KeyWrapper(from);
  const newWrapper = new KeyWrapper(to);
  const rewrapped = await prisma.$transaction(async (tx) => {
    const tenants = await tx.tenant.findMany({ where: { wrappedDataKey: { not: null } }, select: { id: true, wrappedDataKey: true, kekId: true } });
    for (const tenant of tenants) {
      if (tenant.kekId !== oldWrapper.kekId) throw new Error(`tenant ${tenant.id}'s data key is wrapped by master key ${tenant.kekId}, not by the current one (${oldWrapper.kekId}); nothing was changed`);
      const dataKey = oldWrapper.unwrap(tenant.id, tenant.wrappedDataKey!);
      await tx.tenant.update({ where: { id: tenant.id }, data: { wrappedDataKey: new Uint8Array(newWrapper.wrap(tenant.id, dataKey)), kekId: newWrapper.kekId } });
    }
    return tenants.length;
  });
  return { rewrapped, kekId: newWrapper.kekId };
}
