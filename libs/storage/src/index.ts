export { StorageModule } from './storage.module';
export { ArtifactStore, CHUNK_BYTES, type WriteOptions } from './artifacts/artifact-store';
export { ArtifactTooLargeError, ArtifactNotFoundError, ArtifactIntegrityError } from './artifacts/artifact-errors';
export { TenantKeyring } from './keys/tenant-keyring';
export { KeyWrapper } from './keys/key-wrapping';
export { rotateMasterKey } from './keys/rotate-master-key';
export { ArtifactCipher } from './crypto/artifact-cipher';
export { seal, open } from './crypto/aead';
