/** Counters of one served model version, in the shape of Triton's statistics extension. */
export class ModelStatistics {
  inferenceCount = 0;
  executionCount = 0;
  lastInferenceMs = 0;
  readonly success = { count: 0, ns: 0 };
  readonly fail = { count: 0, ns: 0 };
  readonly queue = { count: 0, ns: 0 };
  readonly computeInfer = { count: 0, ns: 0 };

  recordExecution(items: number, computeNs: number): void {
    this.executionCount++;
    this.inferenceCount += items;
    this.computeInfer.count++;
    this.computeInfer.ns += computeNs;
    this.lastInferenceMs = Date.now();
  }

  recordRequest(ok: boolean, totalNs: number, queueNs: number): void {
    const bucket = ok ? this.success : this.fail;
    bucket.count++;
    bucket.ns += totalNs;
    this.queue.count++;
    this.queue.ns += queueNs;
  }

  toTriton(name: string, version: string) {
    return {
      name,
      version,
      last_inference: this.lastInferenceMs,
      inference_count: this.inferenceCount,
      execution_count: this.executionCount,
      inference_stats: { success: this.success, fail: this.fail, queue: this.queue, compute_infer: this.computeInfer },
    };
  }
}
