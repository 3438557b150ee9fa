import { Module } from '@nestjs/common';
import { ArtifactChunks } from './artifacts/artifact-chunks';
import { ArtifactStore } from './artifacts/artifact-store';
import { TenantKeyring } from './keys/tenant-keyring';

/** Encrypted artifact storage in PostgreSQL (envelope encryption under the master key). */
@Module({ providers: [TenantKeyring, ArtifactChunks, ArtifactStore], exports: [ArtifactStore, TenantKeyring] })
export class StorageModule {}
