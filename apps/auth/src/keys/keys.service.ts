import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ApiKey } from '@maas/db';
import { ApiKeysRepository, ApiKeyVerifier, AuditLog, displayPrefix, mintApiKey, Principal } from '@maas/identity';
import { CreateKeyDto } from './dto/create-key.dto';

@Injectable()
export class KeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly verifier: ApiKeyVerifier,
    private readonly audit: AuditLog,
  ) {}

  /** A key never grants more than its creator holds; the secret is returned this once. */
  async create(principal: Principal, dto: CreateKeyDto, ip?: string) {
    const beyondCreator = dto.scopes.filter((scope) => !principal.scopes.includes(scope));
    if (beyondCreator.length) throw new ForbiddenException(`You cannot grant scopes you do not have: ${beyondCreator.join(', ')}`);
    const minted = mintApiKey();
    const key = await this.keys.create(principal.tenantId, {
      name: dto.name,
      scopes: dto.scopes,
      expiresAt: dto.expiresAt,
      publicId: minted.publicId,
      secretHash: minted.secretHash,
      createdById: principal.userId,
    });
    await this.audit.record(principal.tenantId, principal, { action: 'api_key.created', targetType: 'api_key', targetId: key.id, details: { name: key.name, scopes: key.scopes }, ip });
    return { ...toView(key), key: minted.plaintext };
  }

  async list(tenantId: string) {
    return (await this.keys.list(tenantId)).map(toView);
  }

  async revoke(principal: Principal, id: string, ip?: string): Promise<void> {
    const result = await this.keys.revoke(principal.tenantId, id);
    if (!result) throw new NotFoundException(`API key ${id} not found`);
    if (!result.revokedNow) return;
    await this.verifier.announceRevocation(result.key.publicId);
    await this.audit.record(principal.tenantId, principal, { action: 'api_key.revoked', targetType: 'api_key', targetId: id, details: { name: result.key.name }, ip });
  }
}

/** What a listing shows of a key: never the secret, nor its hash. */
function toView(key: ApiKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: displayPrefix(key.publicId),
    scopes: key.scopes,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
  };
}
