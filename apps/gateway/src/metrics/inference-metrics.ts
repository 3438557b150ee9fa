import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

const LABELS = ['tenant', 'model', 'version'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** One model version's running totals; the hot path adds to plain numbers. */
export class InferenceSeries {
  success = 0;
  failure = 0;
  inferences = 0;
  executions = 0;
  requestUs = 0;
  queueUs = 0;
  computeUs = 0;

  constructor(readonly labels: Labels) {}

  recordRequest(outcome: { ok: boolean; items: number; totalNs: number; queueNs: number }): void {
    this.requestUs += outcome.totalNs / 1000;
    if (!outcome.ok) {
      this.failure++;
      return;
    }
    this.success++;
    this.inferences += outcome.items;
    this.queueUs += outcome.queueNs / 1000;
  }

  recordExecution(computeNs: number): void {
    this.executions++;
    this.computeUs += computeNs / 1000;
  }
}

type Total = Exclude<keyof InferenceSeries, 'labels' | 'recordRequest' | 'recordExecution'>;

/**
 * Prometheus counters named after Triton's where they mean the same (durations are cumulative
 * microseconds, as Triton exports them). Requests add to a series object per model version, read
 * into the counters when Prometheus scrapes: prom-client's `inc(labels)` hashes the labels on
 * every call, seven times per request. One registry per app, not prom-client's global one.
 */
@Injectable()
export class InferenceMetrics {
  readonly registry = new Registry();
  private readonly series: InferenceSeries[] = [];
  private readonly byTenant = new Map<string, Map<string, Map<number, InferenceSeries>>>();

  constructor() {
    this.counter('nv_inference_request_success', 'Number of successful inference requests', 'success');
    this.counter('nv_inference_request_failure', 'Number of failed inference requests', 'failure');
    this.counter('nv_inference_count', 'Number of inferences performed (batch items)', 'inferences');
    this.counter('nv_inference_exec_count', 'Number of model executions performed', 'executions');
    this.counter('nv_inference_request_duration_us', 'Cumulative inference request duration in microseconds', 'requestUs');
    this.counter('nv_inference_queue_duration_us', 'Cumulative inference queuing duration in microseconds', 'queueUs');
    this.counter('nv_inference_compute_infer_duration_us', 'Cumulative compute inference duration in microseconds', 'computeUs');
  }

  /**
   * The series of one model version, kept for the life of the process (counters never go back).
   * Found by tenant, then model and version, not by a key joined per request: joining the tenant's
   * UUID and the names was a string to allocate and hash on every inference.
   */
  of(tenant: string, model: string, version: number): InferenceSeries {
    let models = this.byTenant.get(tenant);
    if (!models) this.byTenant.set(tenant, (models = new Map()));
    let versions = models.get(model);
    if (!versions) models.set(model, (versions = new Map()));
    let series = versions.get(version);
    if (!series) {
      series = new InferenceSeries({ tenant, model, version: String(version) });
      versions.set(version, series);
      this.series.push(series);
    }
    return series;
  }

  private counter(name: string, help: string, total: Total): void {
    const series = this.series;
    new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const one of series) if (one[total] > 0) this.inc(one.labels, one[total]);
      },
    });
  }
}
