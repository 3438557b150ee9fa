import { open, seal } from './aead';

/**
 * Seals artifact chunks under a tenant's data key. The artifact id and the chunk's index are the
 * associated data, so a chunk moved to another position or another artifact fails to open.
 */
export const ArtifactCipher = {
  sealChunk(dataKey: Uint8Array, artifactId: string, index: number, plaintext: Uint8Array) {
    return seal(dataKey, plaintext, chunkAssociatedData(artifactId, index));
  },

  openChunk(dataKey: Uint8Array, artifactId: string, index: number, nonce: Uint8Array, ciphertext: Uint8Array): Buffer {
    return open(dataKey, nonce, ciphertext, chunkAssociatedData(artifactId, index));
  },
};

function chunkAssociatedData(artifactId: string, index: number): Buffer {
  const data = Buffer.alloc(artifactId.length + 4);
  data.write(artifactId, 0, 'latin1');
  data.writeUInt32BE(index, artifactId.length);
  return data;
}
