import { Injectable, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { ApiKey, DatabaseNotifications, isDatabaseUnavailable } from '@maas/db';
import { parseApiKey, secretMatches } from '../credentials/api-key-format';
import type { Principal } from '../principal';
import { isScope } from '../scopes';
import { ApiKeysRepository } from './api-keys.repository';
import { LastUsedTracker } from './last-used-tracker';

/** Channel on which a revocation reaches every process; the payload is the key's public id. */
export const API_KEY_REVOKED_CHANNEL = 'maas_api_key_revoked';

/** While the database is away, a key already verified stays trusted and is re-read this often. */
const OUTAGE_RETRY_MS = 2_000;

interface CachedKey {
  /** Public id of the key; the cache is also keyed by the exact credential once it has verified. */
  publicId: string;
  key: ApiKey;
  /** Built once per cache fill: the hot path allocates nothing per request. */
  principal: Principal;
  cachedUntil: number;
}

/**
 * Verifies `mk_…` keys: parse, look up by public id (cached briefly in memory), compare the
 * secret's hash in constant time, then check revocation and expiry — in that order, so a caller
 * without the secret learns nothing about a key, whichever tenant it belongs to. While the database
 * is unreachable a key verified before keeps working from the cache (revocation is re-checked as
 * soon as the database answers; the cache is dropped after the notification connection returns).
 */
@Injectable()
export class ApiKeyVerifier implements OnModuleInit {
  private readonly cache = new Map<string, CachedKey>();
  /** Exact credentials already verified against `cache` entries: a repeat skips parsing and hashing. */
  private readonly verified = new Map<string, CachedKey>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly lastUsed: LastUsedTracker,
    private readonly notifications: DatabaseNotifications,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.notifications.subscribe(API_KEY_REVOKED_CHANNEL, (publicId) => this.forget(publicId));
    this.notifications.onReconnect(() => {
      this.cache.clear();
      this.verified.clear();
    });
  }

  /** Synchronous when the key is cached (the usual case); a promise when it must be read. */
  verify(candidate: string): Principal | Promise<Principal> {
    const known = this.verified.get(candidate);
    if (known && known.cachedUntil > Date.now() && this.cache.get(known.publicId) === known) return this.admit(known);
    const parsed = parseApiKey(candidate);
    if (!parsed) throw new UnauthorizedException('API key is malformed: expected mk_<16 hex characters>_<43 characters>');
    const cached = this.cache.get(parsed.publicId);
    if (cached && cached.cachedUntil > Date.now()) return this.check(cached, candidate, parsed.secret);
    return this.reload(parsed.publicId, cached).then((entry) => this.check(entry, candidate, parsed.secret));
  }

  /** Reads the key again; if the database is unreachable, keeps trusting the entry it had (stale-if-error). */
  private async reload(publicId: string, stale: CachedKey | undefined): Promise<CachedKey | undefined> {
    try {
      return await this.load(publicId);
    } catch (error) {
      if (!stale || !isDatabaseUnavailable(error) || this.cache.get(publicId) !== stale) throw error;
      stale.cachedUntil = Date.now() + OUTAGE_RETRY_MS;
      return stale;
    }
  }

  private check(entry: CachedKey | undefined, candidate: string, secret: string): Principal {
    if (!entry || !secretMatches(secret, entry.key.secretHash)) throw new UnauthorizedException('API key is not recognised');
    this.verified.set(candidate, entry);
    return this.admit(entry);
  }

  /** Revocation and expiry are checked on every use, cached or not. */
  private admit(entry: CachedKey): Principal {
    const { key, principal } = entry;
    if (key.revokedAt) throw new UnauthorizedException('API key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException(`API key expired at ${key.expiresAt.toISOString()}`);
    this.lastUsed.markUsed(key.id);
    return principal;
  }

  /** Announces a revocation to every process (this one included). */
  async announceRevocation(publicId: string): Promise<void> {
    this.forget(publicId);
    await this.notifications.publish(API_KEY_REVOKED_CHANNEL, publicId);
  }

  private forget(publicId: string): void {
    this.cache.delete(publicId);
    for (const [candidate, entry] of this.verified) if (entry.publicId === publicId) this.verified.delete(candidate);
  }

  private async load(publicId: string): Promise<CachedKey | undefined> {
    const key = await this.keys.findByPublicIdForAuthentication(publicId);
    if (!key) {
      this.forget(publicId);
      return undefined;
    }
    const principal: Principal = Object.freeze({ kind: 'api-key', tenantId: key.tenantId, apiKeyId: key.id, userId: key.createdById ?? undefined, scopes: Object.freeze(key.scopes.filter(isScope)) });
    const entry = { publicId, key, principal, cachedUntil: Date.now() + this.config.apiKeyCacheMs };
    this.cache.set(publicId, entry);
    return entry;
  }
}
