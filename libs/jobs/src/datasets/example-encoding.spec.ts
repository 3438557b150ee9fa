import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { readDataset } from './dataset-reader';
import { decodeExamples, ExampleEncoder } from './example-encoding';

async function encode(rows: Array<[number[], string | number]>): Promise<Buffer> {
  const encoder = new ExampleEncoder();
  const encoded = buffer(encoder.stream);
  for (const [features, label] of rows) encoder.add(features, label);
  encoder.end();
  return encoded;
}

describe('parsed examples', () => {
  it('decode to the features and labels the reader collects, across many pieces', async () => {
    const lines = ['a,b,c,label', ...Array.from({ length: 30_000 }, (_, row) => `${row},${row / 8},-${row % 7},${row % 3 === 0 ? 'cat' : row % 3}`)];
    const csv = Buffer.from(`${lines.join('\n')}\n`);
    const collected = await readDataset([csv], { format: 'csv', labelColumn: 'label', collect: true });
    const encoder = new ExampleEncoder();
    const encoded = buffer(encoder.stream);
    await readDataset([csv], { format: 'csv', labelColumn: 'label', collect: false, encoder });
    encoder.end();
    const decoded = decodeExamples(await encoded);
    expect(decoded.features).toEqual(collected.features);
    expect(decoded.labels).toEqual(collected.labels);
    expect(decoded.labels.slice(0, 3)).toEqual(['cat', 1, 2]);
  });

  it('decode from bytes that do not start on a 4-byte boundary', async () => {
    const bytes = await encode([[[1.5, 2], 'x'], [[3, 4.25], 'y']]);
    const shifted = Buffer.alloc(bytes.byteLength + 1);
    bytes.copy(shifted, 1);
    expect(decodeExamples(shifted.subarray(1))).toEqual({ features: new Float32Array([1.5, 2, 3, 4.25]), labels: ['x', 'y'] });
  });

  it('refuse bytes that are not parsed examples, or are cut short', async () => {
    expect(() => decodeExamples(Buffer.from('a,b,label\n1,2,3\n'))).toThrow('not a parsed-examples artifact');
    const bytes = await encode([[[1, 2], 0]]);
    expect(() => decodeExamples(Buffer.concat([bytes.subarray(0, 4), bytes.subarray(8)]))).toThrow('truncated');
  });

  it('abandoned before anyone reads them, fail their later reader without an uncaught error', async () => {
    const encoder = new ExampleEncoder();
    encoder.add([1, 2], 'x');
    encoder.abandon(new Error('the upload failed'));
    // An unheard stream error would surface here as an uncaught exception (vitest fails the run).
    await new Promise((resolve) => setImmediate(resolve));
    await expect(buffer(encoder.stream)).rejects.toThrow(/the upload failed|premature close/);
  });
});
