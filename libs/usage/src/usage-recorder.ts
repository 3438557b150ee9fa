import { Injectable } from '@nestjs/common';
import { RollupAccumulator, type RollupRow } from './usage-rollup';

/** How a metered request ended: served, refused for the caller's input (4xx), or failed on our side (5xx). */
export type UsageOutcome = 'ok' | 'client_error' | 'server_error';

export interface UsageEvent {
  tenantId: string;
  apiKeyId?: string;
  modelId: string;
  versionNumber: number;
  /** Rows of dimension 0 served (the batch size of the request). */
  items: number;
  /** Tensor bytes received and sent. */
  bytesIn: number;
  bytesOut: number;
  latencyMs: number;
  outcome: UsageOutcome;
  at: number;
  /** Set for a training job's compute time, which is metered but is not a request. */
  trainingSeconds?: number;
}

/**
 * Usage, recorded off the hot path: `record` adds the event into per-minute rollup rows in memory
 * (one per tenant, key, model, version and minute, however many requests), and UsageFlusher takes
 * them every second. Memory grows with the distinct rows of a second, not with the requests.
 */
@Injectable()
export class UsageRecorder {
  private readonly rollups = new RollupAccumulator();

  record(event: UsageEvent): void {
    this.rollups.add(event);
  }

  /** Takes the rows summed since the last call and the number of events in them (the caller persists them). */
  take(): { rows: RollupRow[]; events: number } {
    return this.rollups.take();
  }
}
