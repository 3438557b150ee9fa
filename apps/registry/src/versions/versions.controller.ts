import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiTags, ApiCreatedResponse, ApiOkResponse, ApiNoContentResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@maas/config';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { ModelRegistry, VersionUploader } from '@maas/registry';
import { VersionDto } from '../registry.responses';
import { versionView } from '../views';
import { UpdateVersionDto } from './dto/update-version.dto';
import { readVersionUpload } from './upload-reader';

@ApiTags('versions')
@Controller('v1/models/:name/versions')
export class VersionsController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly uploader: VersionUploader,
    private readonly config: AppConfig,
  ) {}

  /** Uploads a new immutable version; it is numbered and `ready` only once its runtime loaded it. */
  @Post()
  @Scopes('models:write')
  @HttpCode(201)
  @ApiConsumes('application/octet-stream', 'multipart/form-data', 'application/zip', 'application/x-tar')
  @ApiHeader({ name: 'X-Model-Format', required: false, description: 'onnx or tfjs (required for application/octet-stream)' })
  @ApiCreatedResponse({ type: VersionDto, description: 'The version, validated and ready to serve' })
  async upload(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Req() request: FastifyRequest) {
    const model = await this.registry.getModel(principal.tenantId, name);
    const version = await this.uploader.upload(principal, name, await readVersionUpload(request, this.config.maxUploadBytes));
    return versionView(model, version);
  }

  @Get()
  @Scopes('models:read')
  @ApiOkResponse({ type: [VersionDto] })
  async list(@Tenant() tenantId: string, @Param('name') name: string) {
    const model = await this.registry.getModel(tenantId, name);
    const [versions, aliases] = await Promise.all([this.registry.listVersions(tenantId, model), this.registry.listAliases(tenantId, model)]);
    return versions.map((version) => versionView(model, version, aliases));
  }

  @Get(':version')
  @Scopes('models:read')
  @ApiOkResponse({ type: VersionDto })
  async get(@Tenant() tenantId: string, @Param('name') name: string, @Param('version') reference: string) {
    const { model, version } = await this.registry.resolveVersion(tenantId, name, reference);
    return versionView(model, version, await this.registry.listAliases(tenantId, model));
  }

  @Patch(':version')
  @Scopes('models:write')
  @ApiOkResponse({ type: VersionDto })
  async update(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') reference: string, @Body() dto: UpdateVersionDto) {
    const version = await this.registry.updateVersion(principal, name, reference, dto);
    return versionView(await this.registry.getModel(principal.tenantId, name), version);
  }

  /** Refused (409) while an alias points at the version. */
  @Delete(':version')
  @Scopes('models:write')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted (409 while an alias points at it)' })
  delete(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') reference: string) {
    return this.registry.deleteVersion(principal, name, reference);
  }

  /** The decrypted artifact, streamed; the ETag is its SHA-256. */
  @Get(':version/artifact')
  @Scopes('models:read')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The artifact as uploaded (ETag: the sha256)', schema: { type: 'string', format: 'binary' } })
  async download(@Tenant() tenantId: string, @Param('name') name: string, @Param('version') reference: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply) {
    const { version, stream } = await this.registry.openArtifact(tenantId, name, reference);
    const etag = `"${version.sha256}"`;
    void reply.header('ETag', etag).header('Cache-Control', 'private, max-age=0, must-revalidate');
    if (ifNoneMatch === etag) return reply.status(304).send();
    const extension = version.runtime === 'ONNX' ? 'onnx' : 'tfjs-bundle';
    return reply
      .header('Content-Type', (version.metadata as { contentType?: string }).contentType ?? 'application/octet-stream')
      .header('Content-Length', String(version.sizeBytes))
      .header('Content-Disposition', `attachment; filename="${name}-v${version.number}.${extension}"`)
      .send(await stream());
  }
}
