import { Injectable } from '@nestjs/common';

export interface UsageEvent {
  tenantId: string;
  apiKeyId?: string;
  modelId: string;
  versionNumber: number;
  /** Rows of dimension 0 served (the batch size of the request). */
  items: number;
  latencyMs: number;
  ok: boolean;
  at: number;
}

const CAPACITY = 100_000;

/**
 * Usage events, recorded off the hot path: `record` only appends to an in-memory buffer (bounded;
 * the oldest events are dropped and counted if nobody drains it). The metering capability drains
 * the buffer into per-minute rollups.
 */
@Injectable()
export class UsageRecorder {
  private buffer: UsageEvent[] = [];
  private droppedEvents = 0;

  record(event: UsageEvent): void {
    if (this.buffer.length >= CAPACITY) {
      this.buffer.shift();
      this.droppedEvents++;
    }
    this.buffer.push(event);
  }

  /** Takes every buffered event (the caller persists them). */
  drain(): UsageEvent[] {
    const events = this.buffer;
    this.buffer = [];
    return events;
  }

  get dropped(): number {
    return this.droppedEvents;
  }
}
