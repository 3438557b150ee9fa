import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@maas/identity';

/**
 * Who may change whom. Owners may do anything to others; admins may manage admins and members but
 * never touch an owner nor make one; nobody changes or removes themself (so a tenant always keeps
 * the owner who could fix things).
 */
export function assertMayManage(actor: { role: Role; userId?: string }, target: { id: string; role: Role }, newRole?: Role): void {
  if (actor.userId === target.id) throw new ForbiddenException('You cannot change or remove your own membership');
  if (actor.role === 'OWNER') return;
  if (actor.role !== 'ADMIN') throw new ForbiddenException('Only owners and admins manage members');
  if (target.role === 'OWNER') throw new ForbiddenException('Only an owner can change or remove an owner');
  if (newRole === 'OWNER') throw new ForbiddenException('Only an owner can make someone an owner');
}
