import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClientErrorOrResult, fuzz } from '../../../../test/support/fuzz';
import { decodeTfjsBundle, encodeTfjsBundle, partsFromModelFiles } from './tfjs-bundle';

const weightSpec = fc.record({ name: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()), shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 3 }), fc.jsonValue()), dtype: fc.oneof(fc.constantFrom('float32', 'int32', 'bool', 'string', 'uint8'), fc.string({ maxLength: 4 })) }, { requiredKeys: [] });
const manifest = fc.array(fc.record({ paths: fc.oneof(fc.array(fc.constantFrom('a.bin', 'b.bin', 'missing.bin'), { maxLength: 2 }), fc.jsonValue()), weights: fc.oneof(fc.array(weightSpec, { maxLength: 3 }), fc.jsonValue()) }, { requiredKeys: [] }), { maxLength: 2 });
const modelJson = fc.oneof(fc.record({ modelTopology: fc.jsonValue(), weightsManifest: fc.oneof(manifest, fc.jsonValue()), format: fc.string({ maxLength: 12 }) }, { requiredKeys: [] }), fc.jsonValue());

describe('TensorFlow.js uploads under fuzzing (seeded; refusals must be 400s)', () => {
  it('builds parts from any model.json and shards, or names what is wrong', () => {
    fuzz(fc.tuple(fc.oneof(modelJson.map((json) => JSON.stringify(json)), fc.string({ maxLength: 30 })), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 })), ([json, a, b]) => {
      const files = new Map<string, Uint8Array>([['model.json', Buffer.from(json)], ['a.bin', a], ['b.bin', b]]);
      expectClientErrorOrResult(() => partsFromModelFiles(files));
    });
  });

  it('decodes any bytes as a bundle or refuses them as an invalid model, and round-trips what it encodes', () => {
    fuzz(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      expectClientErrorOrResult(() => decodeTfjsBundle(Buffer.concat([Buffer.from('MAASTFJ1'), bytes])));
    });
    fuzz(fc.tuple(fc.jsonValue(), fc.uint8Array({ maxLength: 64 })), ([topology, weights]) => {
      const parts = decodeTfjsBundle(encodeTfjsBundle({ modelTopology: { topology }, weightSpecs: [], weightData: weights }));
      expect(parts.modelTopology).toEqual(JSON.parse(JSON.stringify({ topology })));
      expect(Buffer.from(parts.weightData).equals(Buffer.from(weights))).toBe(true);
    }, 0.25);
  });
});
