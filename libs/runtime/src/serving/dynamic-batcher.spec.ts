import { describe, expect, it } from 'vitest';
import { batchRows, BatchMember, runAsOneBatch, shareBatch, type Tensor } from '@maas/tensor';
import { BatchExecutor, DynamicBatcher, RequestAbandonedError } from './dynamic-batcher';
import { InferenceTimeoutError } from './serving-errors';

const row = (value: number): BatchMember => ({ inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 1], data: Float32Array.from([value]) }] });

/** An executor that doubles its input after `delayMs`, recording the batch sizes (rows) it was given. */
function doubling(delayMs: number, batches: number[]): BatchExecutor<BatchMember, Tensor[]> {
  const run = async (inputs: Tensor[]) => {
    batches.push(inputs[0].shape[0]);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return { outputs: [{ ...inputs[0], name: 'y', data: (inputs[0].data as Float32Array).map((value) => value * 2) }] };
  };
  return { items: batchRows, shareBatch, execute: async (batch) => (await runAsOneBatch(batch, run)).perMember };
}

const settings = { maxBatchSize: 8, maxQueueDelayMs: 1, maxQueueSize: 100 };

describe('DynamicBatcher', () => {
  it('runs requests that queue while the executor is busy as one batch, answering each its own rows', async () => {
    const batches: number[] = [];
    const batcher = new DynamicBatcher('m', doubling(20, batches), settings, 1);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((value) => batcher.enqueue(row(value), { timeoutMs: 5_000 })));
    expect(answers.map((answer) => Array.from(answer.result[0].data as Float32Array))).toEqual([[2], [4], [6], [8], [10]]);
    expect(batches).toEqual([1, 4]);
  });

  it('fails a request still waiting or running at its deadline with a timeout (503), once', async () => {
    const batcher = new DynamicBatcher('slow', doubling(400, []), settings, 1);
    const started = performance.now();
    const running = batcher.enqueue(row(1), { timeoutMs: 100 });
    const waiting = batcher.enqueue(row(2), { timeoutMs: 100 });
    await expect(running).rejects.toBeInstanceOf(InferenceTimeoutError);
    await expect(waiting).rejects.toThrow('Inference on "slow" did not finish within 100 ms');
    expect(performance.now() - started).toBeLessThan(300);
  });

  it('drops a request whose caller has gone before it runs, without running it', async () => {
    const batches: number[] = [];
    const batcher = new DynamicBatcher('m', doubling(50, batches), settings, 1);
    let gone = false;
    const first = batcher.enqueue(row(1), { timeoutMs: 5_000 });
    const abandoned = batcher.enqueue(row(2), { timeoutMs: 5_000, abandoned: () => gone });
    const kept = batcher.enqueue(row(3), { timeoutMs: 5_000 });
    gone = true;
    await expect(abandoned).rejects.toBeInstanceOf(RequestAbandonedError);
    expect(Array.from((await kept).result[0].data as Float32Array)).toEqual([6]);
    await first;
    expect(batches).toEqual([1, 1]);
  });

  it('refuses beyond its queue size (503) rather than queueing without bound', async () => {
    const batcher = new DynamicBatcher('m', doubling(50, []), { ...settings, maxBatchSize: 0, maxQueueSize: 1 }, 1);
    const running = batcher.enqueue(row(1), { timeoutMs: 5_000 });
    const queued = batcher.enqueue(row(2), { timeoutMs: 5_000 });
    await expect(batcher.enqueue(row(3), { timeoutMs: 5_000 })).rejects.toThrow('is overloaded');
    await Promise.all([running, queued]);
  });
});
