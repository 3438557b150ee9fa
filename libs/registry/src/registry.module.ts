import { Module } from '@nestjs/common';
import { StorageModule } from '@maas/storage';
import { AliasesRepository } from './aliases.repository';
import { ModelEvents } from './model-events';
import { ModelRegistry } from './model-registry.service';
import { ModelsRepository } from './models.repository';
import { VersionUploader } from './version-uploader';
import { VersionsRepository } from './versions.repository';

/** Models, versions and aliases, shared by the registry app (which changes them) and the gateway (which serves them). */
@Module({
  imports: [StorageModule],
  providers: [ModelsRepository, VersionsRepository, AliasesRepository, ModelEvents, ModelRegistry, VersionUploader],
  exports: [ModelRegistry, VersionUploader, ModelEvents, StorageModule],
})
export class RegistryModule {}
