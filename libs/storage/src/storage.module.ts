import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { ArtifactChunks } from './artifacts/artifact-chunks';
import { ArtifactFileCache } from './artifacts/artifact-file-cache';
import { ArtifactStore } from './artifacts/artifact-store';
import { TenantKeyring } from './keys/tenant-keyring';

const localCopies = {
  provide: ArtifactFileCache,
  inject: [AppConfig],
  useFactory: (config: AppConfig) => new ArtifactFileCache(join(config.dataDir, 'artifact-cache'), config.artifactCacheBytes),
};

/** Encrypted artifact storage in PostgreSQL (envelope encryption under the master key), with sealed local copies. */
@Module({ providers: [TenantKeyring, ArtifactChunks, localCopies, ArtifactStore], exports: [ArtifactStore, TenantKeyring] })
export class StorageModule {}
