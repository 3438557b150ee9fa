import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ApiKeysRepository } from './api-keys.repository';

const FLUSH_INTERVAL_MS = 10_000;

/** Records `lastUsedAt` in batches: one UPDATE per interval for all keys used, not one per request. */
@Injectable()
export class LastUsedTracker implements OnModuleDestroy {
  private used = new Set<string>();
  private readonly timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS).unref();

  constructor(private readonly keys: ApiKeysRepository) {}

  markUsed(apiKeyId: string): void {
    this.used.add(apiKeyId);
  }

  async flush(): Promise<void> {
    if (this.used.size === 0) return;
    const ids = [...this.used];
    this.used = new Set();
    await this.keys.markUsed(ids, new Date()).catch(() => ids.forEach((id) => this.used.add(id)));
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
