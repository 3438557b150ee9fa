import { Injectable, OnModuleInit } from '@nestjs/common';
import { isDatabaseUnavailable, Model, ModelVersion } from '@maas/db';
import { ModelEvents, ModelRegistry } from '@maas/registry';

interface Resolution {
  model: Model;
  version: ModelVersion;
}

/**
 * `(tenant, model, version-or-alias)` → version, remembered so a request does not pay three
 * queries. Any change to a model (alias moved, version added or deleted) reaches every process
 * through PostgreSQL NOTIFY and drops that model's entries at once; after the notification
 * connection was lost (changes may have been missed) every entry is read again, and replaced only
 * once the new answer is in. An outage itself empties nothing: cached callers keep being served
 * while the database is away.
 */
@Injectable()
export class ResolvedVersions implements OnModuleInit {
  private readonly cache = new Map<string, Promise<Resolution>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly events: ModelEvents,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.events.subscribe((change) => this.forgetModel(change.tenantId, change.model));
    this.events.onChangesMissed(() => this.refreshAll());
  }

  resolve(tenantId: string, modelName: string, reference?: string): Promise<Resolution> {
    const key = `${tenantId}\u0000${modelName}\u0000${reference ?? ''}`;
    let resolution = this.cache.get(key);
    if (!resolution) {
      resolution = this.registry.resolveVersion(tenantId, modelName, reference);
      this.cache.set(key, resolution);
      resolution.catch(() => this.cache.delete(key));
    }
    return resolution;
  }

  private refreshAll(): void {
    for (const key of this.cache.keys()) {
      const [tenantId, modelName, reference] = key.split('\u0000');
      const fresh = this.registry.resolveVersion(tenantId, modelName, reference || undefined);
      fresh.then(
        () => this.cache.has(key) && this.cache.set(key, fresh),
        (error: unknown) => {
          // Still unreachable: keep serving what was known. Gone or renamed: forget it.
          if (!isDatabaseUnavailable(error)) this.cache.delete(key);
        },
      );
    }
  }

  private forgetModel(tenantId: string, modelName: string): void {
    const prefix = `${tenantId}\u0000${modelName}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
