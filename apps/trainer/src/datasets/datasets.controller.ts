import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiTags, ApiOkResponse, ApiCreatedResponse, ApiNoContentResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { DatasetsService, datasetView } from '@maas/jobs';
import { DatasetDto, DatasetListDto } from '../trainer.responses';
import { readDatasetUpload } from './dataset-upload';
import { ListQueryDto, UploadDatasetQueryDto } from './dto/dataset-query.dto';

@ApiTags('datasets')
@Controller('v1/datasets')
export class DatasetsController {
  constructor(private readonly datasets: DatasetsService) {}

  /** Uploads a CSV (header row) or JSON-lines dataset, streamed and checked row by row; stored encrypted. */
  @Post()
  @Scopes('training')
  @HttpCode(201)
  @ApiConsumes('text/csv', 'application/x-ndjson', 'multipart/form-data')
  @ApiCreatedResponse({ type: DatasetDto, description: 'Validated while it streamed; nothing is stored on failure' })
  async upload(@CurrentPrincipal() principal: Principal, @Query() query: UploadDatasetQueryDto, @Req() request: FastifyRequest) {
    const { source, format } = await readDatasetUpload(request, query.format);
    return datasetView(await this.datasets.upload(principal, { name: query.name, format, labelColumn: query.labelColumn ?? 'label', source }));
  }

  @Get()
  @Scopes('training')
  @ApiOkResponse({ type: DatasetListDto })
  async list(@Tenant() tenantId: string, @Query() query: ListQueryDto) {
    return { data: (await this.datasets.list(tenantId, query)).map(datasetView) };
  }

  /** By name or id. */
  @Get(':dataset')
  @Scopes('training')
  @ApiOkResponse({ type: DatasetDto })
  async get(@Tenant() tenantId: string, @Param('dataset') reference: string) {
    return datasetView(await this.datasets.get(tenantId, reference));
  }

  /** Refused (409) while a queued or running job uses it. */
  @Delete(':dataset')
  @Scopes('training')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (409 while a queued or running job uses it)' })
  delete(@CurrentPrincipal() principal: Principal, @Param('dataset') reference: string) {
    return this.datasets.delete(principal, reference);
  }
}
