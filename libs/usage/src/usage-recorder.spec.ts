import { describe, expect, it } from 'vitest';
import { UsageEvent, UsageRecorder } from './usage-recorder';

const event = (versionNumber: number): UsageEvent => ({ tenantId: 't', modelId: 'm', versionNumber, items: 1, bytesIn: 4, bytesOut: 4, latencyMs: 1, outcome: 'ok', at: versionNumber });

describe('UsageRecorder', () => {
  it('hands over the recorded events oldest first, once', () => {
    const recorder = new UsageRecorder();
    [1, 2, 3].forEach((number) => recorder.record(event(number)));
    expect(recorder.drain().map((recorded) => recorded.versionNumber)).toEqual([1, 2, 3]);
    expect(recorder.drain()).toEqual([]);
  });

  it('keeps the newest 100,000 events when nobody drains it, and counts the dropped ones', () => {
    const recorder = new UsageRecorder();
    for (let number = 0; number < 100_005; number++) recorder.record(event(number));
    expect(recorder.dropped).toBe(5);
    const events = recorder.drain();
    expect(events).toHaveLength(100_000);
    expect(events[0].versionNumber).toBe(5);
    expect(events[events.length - 1].versionNumber).toBe(100_004);
  });
});
