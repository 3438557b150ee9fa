import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ModelSignature } from '@maas/tensor';
import { parsePipeline } from './pipeline-fit';
import { predictionsOf } from './predictions';
import { preprocessInput } from './preprocess';

const IMAGE_MODEL: ModelSignature = { inputs: [{ name: 'image', datatype: 'FP32', shape: [-1, 4, 4, 3] }], outputs: [{ name: 'scores', datatype: 'FP32', shape: [-1, 3] }] };
const TABULAR: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }], outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 1] }] };

/** A solid-colour PNG of the given size. */
function png(width: number, height: number, rgb: [number, number, number]): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toBuffer();
}

describe('pipeline validation against the signature', () => {
  it('accepts a pipeline that fits and fills in the defaults', () => {
    const pipeline = parsePipeline({ preprocess: { image: [{ image: { width: 4, height: 4 } }, { scale: 1 / 255 }] }, postprocess: { softmax: true, labels: ['r', 'g', 'b'] } }, IMAGE_MODEL);
    expect(pipeline.preprocess.image[0]).toEqual({ image: { width: 4, height: 4, channels: 3, layout: 'NHWC', fit: 'cover' } });
  });

  it('names every problem at once', () => {
    const attempt = () =>
      parsePipeline({ preprocess: { image: [{ image: { width: 8, height: 4 } }, { normalize: { mean: [1, 2], std: [1, 0, 1] } }], nope: [{ scale: 2 }] }, postprocess: { labels: ['a', 'b'], topk: 5, output: 'scores' } }, IMAGE_MODEL);
    expect(attempt).toThrow(/width 8 does not fit the model's input \[-1,4,4,3\]/);
    expect(attempt).toThrow(/normalize.mean: 2 values, but input "image" has 3 channels/);
    expect(attempt).toThrow(/every standard deviation must be above 0/);
    expect(attempt).toThrow(/preprocess."nope": the model has no such input \(its inputs: "image"\)/);
    expect(attempt).toThrow(/postprocess.labels: 2 labels, but output "scores" has 3 classes/);
    expect(attempt).toThrow(/postprocess.topk: 5 is more than the 2 classes/);
  });

  it('refuses unknown steps, an image step that is not first and a cast to another datatype', () => {
    expect(() => parsePipeline({ preprocess: { x: [{ blur: 2 }] } }, TABULAR)).toThrow(/preprocess.x.0/);
    expect(() => parsePipeline({ preprocess: { image: [{ scale: 2 }, { image: { width: 4, height: 4 } }] } }, IMAGE_MODEL)).toThrow(/image must be the first step/);
    expect(() => parsePipeline({ preprocess: { x: [{ cast: 'INT32' }] } }, TABULAR)).toThrow(/the input takes FP32, not INT32/);
    expect(() => parsePipeline({ preprocess: { x: [{ image: { width: 2, height: 1 } }] } }, TABULAR)).toThrow(/an image input has 4 axes/);
  });
});

describe('preprocessing', () => {
  it('decodes and resizes an image to the input, NHWC, with per-channel mean and std', async () => {
    const image = await png(32, 16, [255, 0, 51]);
    const tensor = await preprocessInput(IMAGE_MODEL.inputs[0], image.toString('base64'), [{ image: { width: 4, height: 4, channels: 3, layout: 'NHWC', fit: 'fill', mean: [0, 0, 51], std: [255, 1, 1] } }]);
    expect(tensor.shape).toEqual([1, 4, 4, 3]);
    expect(Array.from(tensor.data as Float32Array).slice(0, 6)).toEqual([1, 0, 0, 1, 0, 0]);
  });

  it('lays an image out NCHW and stacks a list of images into a batch', async () => {
    const spec = { name: 'image', datatype: 'FP32' as const, shape: [-1, 3, 2, 2] };
    const images = [await png(5, 5, [10, 20, 30]), `data:image/png;base64,${(await png(3, 3, [1, 2, 3])).toString('base64')}`];
    const tensor = await preprocessInput(spec, images, [{ image: { width: 2, height: 2, channels: 3, layout: 'NCHW', fit: 'cover' } }]);
    expect(tensor.shape).toEqual([2, 3, 2, 2]);
    expect(Array.from(tensor.data as Float32Array)).toEqual([10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('says which step failed for bytes that are not an image', async () => {
    await expect(preprocessInput(IMAGE_MODEL.inputs[0], Buffer.from('not a picture').toString('base64'), [{ image: { width: 4, height: 4, channels: 3, layout: 'NHWC', fit: 'cover' } }])).rejects.toThrow(/input "image", step image: the bytes are not an image/);
  });

  it('scales, normalises per feature, l2-normalises and casts in order', async () => {
    const tensor = await preprocessInput(TABULAR.inputs[0], [[2, 4], [6, 8]], [{ scale: 0.5 }, { normalize: { mean: [1, 2], std: [1, 2] } }]);
    expect(Array.from(tensor.data as Float32Array)).toEqual([0, 0, 2, 1]);
    const unit = await preprocessInput(TABULAR.inputs[0], [[3, 4]], [{ l2: { axis: -1 } }]);
    expect(Array.from(unit.data as Float32Array)).toEqual([Math.fround(0.6), Math.fround(0.8)]);
    const integers = { name: 'ids', datatype: 'INT32' as const, shape: [-1, 2] };
    expect(Array.from((await preprocessInput(integers, [[1.6, -2e10]], [{ scale: 1 }, { cast: 'INT32' }])).data as Int32Array)).toEqual([2, -2147483648]);
    await expect(preprocessInput(integers, [[1.5, 2]], [{ scale: 1 }])).rejects.toThrow(/step cast: .*add \{"cast": "INT32"\}/);
    await expect(preprocessInput(TABULAR.inputs[0], [[1, 2, 3]], [{ normalize: { mean: [1, 2], std: 1 } }])).rejects.toThrow(/step normalize: 2 means\/stds for 3 values along axis 1/);
  });
});

describe('predictions', () => {
  const scores = { name: 'scores', datatype: 'FP32' as const, shape: [2, 3], data: Float32Array.from([1, 3, 2, 0.1, 0.2, 0.9]) };

  it('ranks labels with scores for a classifier (softmax, top-k)', () => {
    const { predictions, output } = predictionsOf([scores], { softmax: true, topk: 2, labels: ['cat', 'dog', 'fox'] });
    expect(output).toBe('scores');
    const [first] = predictions as Array<Array<{ label: string; score: number }>>;
    expect(first.map((entry) => entry.label)).toEqual(['dog', 'fox']);
    const total = Math.exp(1) + Math.exp(3) + Math.exp(2);
    expect(first[0].score).toBeCloseTo(Math.exp(3) / total, 6);
  });

  it('keeps every class over a threshold (multi-label), and the best one for argmax', () => {
    expect(predictionsOf([scores], { threshold: 0.15, labels: ['a', 'b', 'c'] }).predictions[1]).toEqual([
      { label: 'c', index: 2, score: Math.fround(0.9) },
      { label: 'b', index: 1, score: Math.fround(0.2) },
    ]);
    expect(predictionsOf([scores], { argmax: true }).predictions).toEqual([[{ label: '1', index: 1, score: 3 }], [{ label: '2', index: 2, score: Math.fround(0.9) }]]);
  });

  it('gives a regressor its values per row', () => {
    expect(predictionsOf([{ name: 'y', datatype: 'FP32', shape: [2, 1], data: Float32Array.from([1.5, -2]) }], undefined).predictions).toEqual([1.5, -2]);
    expect(predictionsOf([scores], {}).predictions).toEqual([[1, 3, 2], [0.1, 0.2, 0.9].map(Math.fround)]);
  });
});
