import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags, ApiBody, ApiOkResponse, ApiDefaultResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@maas/config';
import { PrismaService } from '@maas/db';
import { CurrentPrincipal, Principal, Public, Scopes, Tenant } from '@maas/identity';
import { AcceptsUntypedBody } from '@maas/service';
import { LiveDto, ModelMetadataDto, ModelReadyDto, ModelStatisticsDto, ReadyDto, ServerMetadataDto } from './kserve.schemas';
import { InferRequestDto, InferResponseDto, KserveErrorDto } from './kserve.schemas';
import { InferenceService } from '../inference/inference.service';
import { clientDisconnected, readInferenceRequest, sendInferenceResponse } from './kserve-http';
import { KserveMetadata } from './kserve-metadata';
import { InferenceAdmission } from '../usage/inference-admission';

const SERVER_EXTENSIONS = ['binary_tensor_data', 'classification', 'statistics'];

/**
 * KServe V2 / Open Inference Protocol over REST, with Triton's binary tensor, classification and
 * statistics extensions. `{version}` is a number or an alias; without it, alias `production`, else the newest.
 * Errors answer `{"error": "..."}` (see the error filter). Model control is not exposed.
 */
@ApiTags('inference (KServe V2)')
@Controller('v2')
export class KserveController {
  constructor(
    private readonly inference: InferenceService,
    private readonly metadata: KserveMetadata,
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly admission: InferenceAdmission,
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

  @Post('models/:model/infer')
  @Scopes('infer')
  @HttpCode(200)
  @AcceptsUntypedBody()
  @ApiBody({ type: InferRequestDto })
  @ApiOkResponse({ type: InferResponseDto })
  @ApiDefaultResponse({ type: KserveErrorDto, description: 'KServe V2 error' })
  inferLatest(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.infer(principal, model, undefined, request, reply);
  }

  @Post('models/:model/versions/:version/infer')
  @Scopes('infer')
  @HttpCode(200)
  @AcceptsUntypedBody()
  @ApiBody({ type: InferRequestDto })
  @ApiOkResponse({ type: InferResponseDto })
  @ApiDefaultResponse({ type: KserveErrorDto, description: 'KServe V2 error' })
  inferVersion(@CurrentPrincipal() principal: Principal, @Param('model') model: string, @Param('version') version: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.infer(principal, model, version, request, reply);
  }

  private async infer(principal: Principal, model: string, version: string | undefined, request: FastifyRequest, reply: FastifyReply) {
    return this.admission.within(principal, reply, async () => {
      const inferenceRequest = await readInferenceRequest(request, this.config.maxRequestBytes);
      const response = await this.inference.infer(principal, model, version, inferenceRequest, clientDisconnected(request, reply));
      return sendInferenceResponse(reply.status(200), inferenceRequest, response);
    });
  }
}
