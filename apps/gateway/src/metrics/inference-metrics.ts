import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';

const LABELS = ['tenant', 'model', 'version'] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/**
 * Prometheus counters named after Triton's where they mean the same (durations are cumulative
 * microseconds, as Triton exports them). One registry per app, not prom-client's global one.
 */
@Injectable()
export class InferenceMetrics {
  readonly registry = new Registry();
  private readonly success = this.counter('nv_inference_request_success', 'Number of successful inference requests');
  private readonly failure = this.counter('nv_inference_request_failure', 'Number of failed inference requests');
  private readonly inferences = this.counter('nv_inference_count', 'Number of inferences performed (batch items)');
  private readonly executions = this.counter('nv_inference_exec_count', 'Number of model executions performed');
  private readonly requestDuration = this.counter('nv_inference_request_duration_us', 'Cumulative inference request duration in microseconds');
  private readonly queueDuration = this.counter('nv_inference_queue_duration_us', 'Cumulative inference queuing duration in microseconds');
  private readonly computeDuration = this.counter('nv_inference_compute_infer_duration_us', 'Cumulative compute inference duration in microseconds');

  recordRequest(labels: Labels, outcome: { ok: boolean; items: number; totalNs: number; queueNs: number }): void {
    (outcome.ok ? this.success : this.failure).inc(labels);
    this.requestDuration.inc(labels, outcome.totalNs / 1000);
    if (!outcome.ok) return;
    this.inferences.inc(labels, outcome.items);
    this.queueDuration.inc(labels, outcome.queueNs / 1000);
  }

  recordExecution(labels: Labels, computeNs: number): void {
    this.executions.inc(labels);
    this.computeDuration.inc(labels, computeNs / 1000);
  }

  private counter(name: string, help: string): Counter<(typeof LABELS)[number]> {
    return new Counter({ name, help, labelNames: LABELS, registers: [this.registry] });
  }
}
