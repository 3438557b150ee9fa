import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { PrismaService } from '@maas/db';
import { Public, Scopes, Tenant } from '@maas/identity';
import { LiveDto, ModelMetadataDto, ModelReadyDto, ModelStatisticsDto, ReadyDto, ServerMetadataDto } from './kserve.schemas';
import { KserveMetadata } from './kserve-metadata';

const SERVER_EXTENSIONS = ['binary_tensor_data', 'classification', 'statistics'];

/**
 * KServe V2 / Open Inference Protocol over REST, with Triton's binary tensor, classification and
 * statistics extensions. `{version}` is a number or an alias; without it, alias `production`, else the newest.
 * Errors answer `{"error": "..."}` (see the error filter). Model control is not exposed. The infer
 * routes themselves live in kserve-infer.routes.ts, outside Nest's router (the hot path).
 */
@ApiTags('inference (KServe V2)')
@Controller('v2')
export class KserveController {
  constructor(
    private readonly metadata: KserveMetadata,
    private readonly prisma: PrismaService,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({ type: ServerMetadataDto })
  server() {
    return { name: 'maas', version: '0.1.0', extensions: SERVER_EXTENSIONS };
  }

  @Get('health/live')
  @Public()
  @ApiOkResponse({ type: LiveDto })
  live() {
    return { live: true };
  }

  @Get('health/ready')
  @Public()
  @ApiOkResponse({ type: ReadyDto })
  async ready() {
    await this.prisma.ping();
    return { ready: true };
  }

  @Get('models/:model')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelMetadataDto })
  modelMetadata(@Tenant() tenantId: string, @Param('model') model: string) {
    return this.metadata.metadata(tenantId, model);
  }

  @Get('models/:model/versions/:version')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelMetadataDto })
  versionMetadata(@Tenant() tenantId: string, @Param('model') model: string, @Param('version') version: string) {
    return this.metadata.metadata(tenantId, model, version);
  }

  @Get('models/:model/ready')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelReadyDto })
  modelReady(@Tenant() tenantId: string, @Param('model') model: string) {
    return this.metadata.ready(tenantId, model);
  }

  @Get('models/:model/versions/:version/ready')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelReadyDto })
  versionReady(@Tenant() tenantId: string, @Param('model') model: string, @Param('version') version: string) {
    return this.metadata.ready(tenantId, model, version);
  }

  @Get('models/stats')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelStatisticsDto })
  allStatistics(@Tenant() tenantId: string) {
    return this.metadata.allStatistics(tenantId);
  }

  @Get('models/:model/stats')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelStatisticsDto })
  modelStatistics(@Tenant() tenantId: string, @Param('model') model: string) {
    return this.metadata.statistics(tenantId, model);
  }

  @Get('models/:model/versions/:version/stats')
  @Scopes('infer')
  @ApiOkResponse({ type: ModelStatisticsDto })
  versionStatistics(@Tenant() tenantId: string, @Param('model') model: string, @Param('version') version: string) {
    return this.metadata.statistics(tenantId, model, version);
  }
}
