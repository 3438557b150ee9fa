import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DatabaseNotifications } from '@maas/db';

/** Channel on which alias moves, version and model deletions reach every process (gateways drop caches). */
export const MODEL_CHANGED_CHANNEL = 'maas_model_changed';

export interface ModelChange {
  tenantId: string;
  modelId: string;
  model: string;
  change: 'alias_moved' | 'alias_deleted' | 'version_created' | 'version_updated' | 'pipeline_updated' | 'version_deleted' | 'model_deleted';
}

@Injectable()
export class ModelEvents {
  private readonly localListeners: Array<(change: ModelChange) => void> = [];
  /** Changes this process announced and heard already: their NOTIFY echo is skipped. */
  private readonly heardLocally = new Set<string>();
  private subscribed?: Promise<void>;

  constructor(private readonly notifications: DatabaseNotifications) {}

  /**
   * Announced to every process; this process's own listeners hear it at once, before the NOTIFY
   * comes back, so a client reads its own write (a pipeline set, then a predict) on this process.
   */
  async publish(change: ModelChange): Promise<void> {
    const id = randomUUID();
    if (this.localListeners.length) this.heardLocally.add(id);
    try {
      await this.notifications.publish(MODEL_CHANGED_CHANNEL, JSON.stringify({ ...change, id }));
    } finally {
      // The change is made: this process's caches drop it even when the announcement failed.
      for (const listener of this.localListeners) listener(change);
    }
  }

  /** One NOTIFY subscription per process fans out to every listener, skipping the echo of its own announcements. */
  subscribe(listener: (change: ModelChange) => void): Promise<void> {
    this.localListeners.push(listener);
    this.subscribed ??= this.subscribeOnce();
    return this.subscribed;
  }

  private subscribeOnce(): Promise<void> {
    // Echoes lost with a connection never come: forget their ids (a late one is heard twice, which only drops a cache again).
    this.notifications.onReconnect(() => this.heardLocally.clear());
    return this.notifications.subscribe(MODEL_CHANGED_CHANNEL, (payload) => {
      const { id, ...change } = JSON.parse(payload) as ModelChange & { id?: string };
      // Heard at publish already; a lost echo leaves one id behind, no more.
      if (id && this.heardLocally.delete(id)) return;
      for (const local of this.localListeners) local(change);
    });
  }

  /**
   * Called each time the notification connection comes back after a loss: changes announced while
   * it was away never arrive (PostgreSQL does not queue them), so what they would have dropped
   * must be re-read.
   */
  onChangesMissed(listener: () => void): void {
    this.notifications.onReconnect(listener);
  }
}
