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
  constructor(private readonly notifications: DatabaseNotifications) {}

  publish(change: ModelChange): Promise<void> {
    return this.notifications.publish(MODEL_CHANGED_CHANNEL, JSON.stringify(change));
  }

  subscribe(listener: (change: ModelChange) => void): Promise<void> {
    return this.notifications.subscribe(MODEL_CHANGED_CHANNEL, (payload) => listener(JSON.parse(payload) as ModelChange));
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
