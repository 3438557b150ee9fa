import { readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { mlpOnnx } from '../../../../test/fixtures/onnx-models';
import type { HostedModel } from './hosted-model';
import { ModelHosts } from './model-hosts';
import { callingThreadId } from './thread-priority';
import type { ModelBytes } from './worker-protocol';

const SETUP = { format: 'onnx' as const, device: 'cpu' as const, threads: 1 };

function bytesOf(model: Buffer): ModelBytes {
  return {
    sizeBytes: model.byteLength,
    chunks: (async function* () {
      yield Uint8Array.from(model);
    })(),
  };
}

const input = (width: number, value: number) => [{ name: 'input', datatype: 'FP32' as const, shape: [1, width], data: new Float32Array(width).fill(value) }];

describe('ModelHosts', () => {
  let hosts: ModelHosts;
  afterEach(() => hosts.close());

  it('holds many models on a fixed number of shared threads, each answering as itself', async () => {
    hosts = new ModelHosts({ sharedHosts: 2, dedicatedAboveBytes: 64 * 2 ** 20 });
    const models = await Promise.all(Array.from({ length: 12 }, (_, seed) => hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2], { seed })), 1, () => undefined)));
    expect(hosts.sharedHostCount).toBe(2);
    expect(new Set(models.flatMap((model) => model.hosts)).size).toBe(2);
    const answers = await Promise.all(models.map((model) => model.run(input(4, 1))));
    expect(new Set(answers.map((answer) => String(Array.from(answer.outputs[0].data as Float32Array)))).size).toBe(12);
    await Promise.all(models.map((model) => model.release()));
  });

  it('gives a model above the threshold threads of its own, ended with it', async () => {
    hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: 1_000 });
    const heavy = await hosts.load(SETUP, bytesOf(mlpOnnx([64, 256, 10])), 2, () => undefined);
    expect(hosts.sharedHostCount).toBe(0);
    expect(heavy.hosts.map((host) => host.dedicated)).toEqual([true, true]);
    const exited = heavy.hosts.map((host) => new Promise((resolve) => host.worker.once('exit', resolve)));
    await heavy.release();
    await Promise.all(exited);
  });

  it('keeps a dedicated host booted after the first heavy model and gives it to the next one', async () => {
    hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: 1_000 });
    expect(hosts.spareDedicatedHost).toBeUndefined();
    const first = await hosts.load(SETUP, bytesOf(mlpOnnx([64, 256, 10])), 1, () => undefined);
    await expect.poll(() => hosts.spareDedicatedHost).toBeDefined();
    const waiting = hosts.spareDedicatedHost;
    expect(waiting?.dedicated).toBe(true);
    expect(first.hosts).not.toContain(waiting);
    const second = await hosts.load(SETUP, bytesOf(mlpOnnx([64, 256, 10], { seed: 2 })), 1, () => undefined);
    expect(second.hosts[0]).toBe(waiting);
    expect((await second.run(input(64, 1))).outputs[0].shape).toEqual([1, 10]);
    await expect.poll(() => hosts.spareDedicatedHost).toBeDefined();
    const next = hosts.spareDedicatedHost!;
    expect(next).not.toBe(waiting);
    const ended = new Promise((resolve) => next.worker.once('exit', resolve));
    await hosts.close();
    await ended;
  });

  it('leaves no session behind when a load fails, and says why', async () => {
    hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: 64 * 2 ** 20 });
    await expect(hosts.load(SETUP, bytesOf(Buffer.from('not a model')), 1, () => undefined)).rejects.toThrow('ONNX Runtime could not load the model');
    const model: HostedModel = await hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2])), 1, () => undefined);
    expect(model.hosts[0].sessions).toBe(1);
    await model.release();
    expect(model.hosts[0].sessions).toBe(0);
  });

  it('tells each model of a host that died, fails its runs, and starts a new host for the next load', async () => {
    hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: 64 * 2 ** 20 });
    let lost = 0;
    const first = await hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2])), 1, () => lost++);
    const second = await hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2], { seed: 3 })), 1, () => lost++);
    await first.hosts[0].worker.terminate();
    expect(lost).toBe(2);
    await expect(second.run(input(4, 1))).rejects.toThrow('the model worker exited');
    const again = await hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2])), 1, () => undefined);
    expect((await again.run(input(4, 1))).outputs[0].shape).toEqual([1, 2]);
    expect(hosts.sharedHostCount).toBe(1);
  });

  it.runIf(process.platform === 'linux')('runs its host threads at the nice value asked for, leaving the calling thread as it was', async () => {
    const callingThread = callingThreadId();
    const priorityBefore = getPriority(callingThread);
    const threadsBefore = new Set(threadIds());
    hosts = new ModelHosts({ sharedHosts: 1, dedicatedAboveBytes: 64 * 2 ** 20, hostNice: 7 });
    const model = await hosts.load(SETUP, bytesOf(mlpOnnx([4, 8, 2])), 1, () => undefined);
    const started = threadIds().filter((id) => !threadsBefore.has(id));
    expect(started.map((id) => getPriority(id))).toContain(7);
    expect(getPriority(callingThread)).toBe(priorityBefore);
    expect((await model.run(input(4, 1))).outputs[0].shape).toEqual([1, 2]);
  });
});

/** This process's threads, as the kernel numbers them. */
function threadIds(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}
