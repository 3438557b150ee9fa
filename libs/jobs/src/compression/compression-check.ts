import { ModelHosts, type Device, type ModelFormat } from '@maas/runtime';
import { isBytesData, numericValues, splitBatch, type Tensor } from '@maas/tensor';

/** Timed runs per model and batch size, alternated; the median counts. */
const LATENCY_RUNS = 21;

export interface OutputComparison {
  name: string;
  maxAbsError: number;
  /** ‖compressed − parent‖ / ‖parent‖ over every sample. */
  relativeL2: number;
  /** For class scores (rows of several values): the share of rows whose best class is the same. */
  argmaxAgreement?: number;
}

export interface CompressionCheck {
  outputs: OutputComparison[];
  latencyMs: { batch: number; parent: number; compressed: number; speedup: number }[];
}

interface CheckInput {
  format: ModelFormat;
  parent: Uint8Array;
  compressed: Uint8Array;
  samples: Tensor[];
  device: Device;
  threads: number;
}

/**
 * Both versions on model hosts of their own, as the gateway would serve them: their outputs on the
 * samples compared output by output, and the p50 of their compute time at batch 1 and at the
 * samples' batch, measured alternately on this machine.
 */
export async function checkCompressed(input: CheckInput): Promise<CompressionCheck> {
  const hosts = new ModelHosts({ sharedHosts: 2, dedicatedAboveBytes: Number.MAX_SAFE_INTEGER });
  const setup = { format: input.format, device: input.device, threads: input.threads };
  try {
    const parent = await hosts.load(setup, bytesOf(input.parent), 1, () => undefined);
    const compressed = await hosts.load(setup, bytesOf(input.compressed), 1, () => undefined);
    const [expected, actual] = [await parent.run(input.samples), await compressed.run(input.samples)];
    const outputs = expected.outputs.map((tensor) => compare(tensor, actual.outputs.find((candidate) => candidate.name === tensor.name)!));
    const rows = input.samples[0]?.shape[0] ?? 1;
    const batches = [...new Set([1, rows])].filter((batch) => batch <= rows);
    const latencyMs = [];
    for (const batch of batches) {
      const inputs = batch === rows ? input.samples : input.samples.map((tensor) => splitBatch(tensor, [batch, rows - batch])[0]);
      const [before, after] = await alternatedMedians(() => parent.run(inputs), () => compressed.run(inputs));
      latencyMs.push({ batch, parent: before, compressed: after, speedup: before / after });
    }
    await Promise.all([parent.release(), compressed.release()]);
    return { outputs, latencyMs };
  } finally {
    await hosts.close();
  }
}

function compare(expected: Tensor, actual: Tensor): OutputComparison {
  // BYTES outputs (strings) are not compared: nothing of theirs is compressed.
  const [a, b] = isBytesData(expected.data) ? [new Float64Array(0), new Float64Array(0)] : [numericValues(expected), numericValues(actual)];
  let maxAbsError = 0;
  let error = 0;
  let norm = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = Math.abs(a[index] - b[index]);
    maxAbsError = Math.max(maxAbsError, difference);
    error += difference * difference;
    norm += a[index] * a[index];
  }
  const relativeL2 = norm > 0 ? Math.sqrt(error / norm) : Math.sqrt(error);
  const width = expected.shape[expected.shape.length - 1];
  const comparison: OutputComparison = { name: expected.name, maxAbsError, relativeL2 };
  if (expected.shape.length >= 2 && width > 1) comparison.argmaxAgreement = argmaxAgreement(a, b, width);
  return comparison;
}

function argmaxAgreement(a: Float64Array, b: Float64Array, width: number): number {
  let same = 0;
  const rows = a.length / width;
  for (let row = 0; row < rows; row++) if (argmax(a, row * width, width) === argmax(b, row * width, width)) same++;
  return same / rows;
}

function argmax(values: Float64Array, start: number, width: number): number {
  let best = 0;
  for (let index = 1; index < width; index++) if (values[start + index] > values[start + best]) best = index;
  return best;
}

/** The median compute time (ms, measured inside the model host) of each, run one after the other. */
async function alternatedMedians(first: () => Promise<{ computeNs: number }>, second: () => Promise<{ computeNs: number }>): Promise<[number, number]> {
  await first();
  await second();
  const [a, b]: [number[], number[]] = [[], []];
  for (let run = 0; run < LATENCY_RUNS; run++) {
    a.push((await first()).computeNs / 1e6);
    b.push((await second()).computeNs / 1e6);
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
  return [median(a), median(b)];
}

function bytesOf(bytes: Uint8Array) {
  return { sizeBytes: bytes.byteLength, chunks: (async function* () { yield Uint8Array.from(bytes); })() };
}
