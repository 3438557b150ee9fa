import { Module } from '@nestjs/common';
import { RegistryModule } from '@maas/registry';
import { AliasesController } from './aliases/aliases.controller';
import { ModelsController } from './models/models.controller';
import { MultipartUploads } from '@maas/service';
import { PipelineController } from './versions/pipeline.controller';
import { VersionsController } from './versions/versions.controller';

/** The registry app: models, immutable versions (encrypted artifacts), aliases. */
@Module({
  imports: [RegistryModule],
  controllers: [ModelsController, VersionsController, PipelineController, AliasesController],
  providers: [MultipartUploads],
})
export class RegistryAppModule {}
