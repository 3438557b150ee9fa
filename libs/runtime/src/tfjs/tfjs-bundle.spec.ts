import { describe, expect, it } from 'vitest';
import { InvalidModelError } from '../runtime-errors';
import { decodeTfjsBundle, partsFromModelFiles } from './tfjs-bundle';

const files = (modelJson: string) => new Map<string, Uint8Array>([['model.json', Buffer.from(modelJson)]]);

/** Counterexamples the fuzzer (tfjs-bundle.fuzz.spec.ts) found, shrunk, kept as regressions. */
describe('TensorFlow.js bundles: fuzzer findings', () => {
  it('names a weight group that is not an object instead of throwing a TypeError', () => {
    expect(() => partsFromModelFiles(files('{"modelTopology":{},"weightsManifest":[null]}'))).toThrow(new InvalidModelError('model.json is not a TensorFlow.js model (layers or graph) at weightsManifest.0: Invalid input: expected object, received null'));
  });

  it('refuses a model.json whose topology is not an object', () => {
    expect(() => partsFromModelFiles(files('{"modelTopology":[],"weightsManifest":[]}'))).toThrow(/at modelTopology: needs "modelTopology", an object/);
  });

  it('refuses a bundle whose header runs past its end, or is not JSON', () => {
    expect(() => decodeTfjsBundle(Buffer.concat([Buffer.from('MAASTFJ1'), Buffer.from([0, 0, 0, 0])]))).toThrow(/not JSON/);
    expect(() => decodeTfjsBundle(Buffer.concat([Buffer.from('MAASTFJ1'), Buffer.from([9, 0, 0, 0, 1])]))).toThrow(/truncated/);
  });
});
