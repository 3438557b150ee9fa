import { open, seal } from './aead';

/**
 * Seals artifact chunks under a tenant's data key. The artifact id, the chunk's index and whether
 * it is the last chunk are the associated data: a chunk moved to another position or artifact
 * fails to open, and so does an artifact cut short (its new last chunk was not sealed as last).
 * Authenticity of the whole therefore needs no second pass over the plaintext.
 */
export const ArtifactCipher = {
  sealChunk(dataKey: Uint8Array, artifactId: string, index: number, plaintext: Uint8Array, isLast: boolean) {
    return seal(dataKey, plaintext, chunkAssociatedData(artifactId, index, isLast));
  },

  openChunk(dataKey: Uint8Array, artifactId: string, index: number, isLast: boolean, nonce: Uint8Array, ciphertext: Uint8Array): Buffer {
    return open(dataKey, nonce, ciphertext, chunkAssociatedData(artifactId, index, isLast));
  },
};

function chunkAssociatedData(artifactId: string, index: number, isLast: boolean): Buffer {
  const data = Buffer.alloc(artifactId.length + 5);
  data.write(artifactId, 0, 'latin1');
  data.writeUInt32BE(index, artifactId.length);
  data.writeUInt8(isLast ? 1 : 0, artifactId.length + 4);
  return data;
}
