import { Injectable, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { ApiKey, DatabaseNotifications } from '@maas/db';
import { parseApiKey, secretMatches } from '../credentials/api-key-format';
import type { Principal } from '../principal';
import { isScope } from '../scopes';
import { ApiKeysRepository } from './api-keys.repository';
import { LastUsedTracker } from './last-used-tracker';

/** Channel on which a revocation reaches every process; the payload is the key's public id. */
export const API_KEY_REVOKED_CHANNEL = 'maas_api_key_revoked';

interface CachedKey {
  key: ApiKey;
  cachedUntil: number;
}

/**
 * Verifies `mk_…` keys: parse, look up by public id (cached briefly in memory), compare the
 * secret's hash in constant time, then check revocation and expiry — in that order, so a caller
 * without the secret learns nothing about a key, whichever tenant it belongs to.
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit {
  private readonly cache = new Map<string, CachedKey>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly lastUsed: LastUsedTracker,
    private readonly notifications: DatabaseNotifications,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.notifications.subscribe(API_KEY_REVOKED_CHANNEL, (publicId) => this.cache.delete(publicId));
    this.notifications.onReconnect(() => this.cache.clear());
  }

  async verify(candidate: string): Promise<Principal> {
    const parsed = parseApiKey(candidate);
    if (!parsed) throw new UnauthorizedException('API key is malformed: expected mk_<16 hex characters>_<43 characters>');
    const key = await this.lookup(parsed.publicId);
    if (!key || !secretMatches(parsed.secret, key.secretHash)) throw new UnauthorizedException('API key is not recognised');
    if (key.revokedAt) throw new UnauthorizedException('API key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException(`API key expired at ${key.expiresAt.toISOString()}`);
    this.lastUsed.markUsed(key.id);
    return { kind: 'api-key', tenantId: key.tenantId, apiKeyId: key.id, userId: key.createdById ?? undefined, scopes: key.scopes.filter(isScope) };
  }

  /** Announces a revocation to every process (this one included). */
  async announceRevocation(publicId: string): Promise<void> {
    this.cache.delete(publicId);
    await this.notifications.publish(API_KEY_REVOKED_CHANNEL, publicId);
  }

  private async lookup(publicId: string): Promise<ApiKey | null> {
    const cached = this.cache.get(publicId);
    if (cached && cached.cachedUntil > Date.now()) return cached.key;
    const key = await this.keys.findByPublicIdForAuthentication(publicId);
    if (key) this.cache.set(publicId, { key, cachedUntil: Date.now() + this.config.apiKeyCacheMs });
    else this.cache.delete(publicId);
    return key;
  }
}
