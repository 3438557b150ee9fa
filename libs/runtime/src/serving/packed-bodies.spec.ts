import { describe, expect, it } from 'vitest';
import { packBodies, unpackBodies } from './packed-bodies';
import type { JsonRequest } from './worker-protocol';

const request = (text: string): JsonRequest => ({ body: Buffer.from(text), modelName: 'mlp', modelVersion: '2' });

describe('packBodies / unpackBodies', () => {
  it('carries a batch of bodies in one buffer of their own and gives each back, in order', () => {
    const requests = [request('{"inputs":[]}'), request(''), request('{"id":"é"}')];
    const packed = packBodies(requests);
    expect(packed.bodies.byteOffset).toBe(0);
    expect(packed.bodies.buffer.byteLength).toBe(requests.reduce((sum, one) => sum + one.body.byteLength, 0));
    const unpacked = unpackBodies({ kind: 'json', id: 1, session: 1, ...packed, modelName: 'mlp', modelVersion: '2', maxBatchSize: 32 });
    expect(unpacked.map((one) => Buffer.from(one.body).toString())).toEqual(['{"inputs":[]}', '', '{"id":"é"}']);
    expect(unpacked.every((one) => one.body.buffer === packed.bodies.buffer && one.modelName === 'mlp' && one.modelVersion === '2')).toBe(true);
  });

  it('copies only the bodies, not the pool slab a small Buffer is a view into', () => {
    const pooled = Buffer.from('{"inputs":[]}');
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    expect(packBodies([{ body: pooled, modelName: 'mlp', modelVersion: '1' }]).bodies.buffer.byteLength).toBe(pooled.byteLength);
  });
});
