import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { openApiSchema } from '@maas/service';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { pipelineSchema } from '@maas/pipeline';
import { ModelRegistry } from '@maas/registry';
import { VersionPipelineDto } from '../registry.responses';

const PIPELINE_SCHEMA = openApiSchema(pipelineSchema);

/** A version's inference pipeline: pre-processing per input, post-processing of an output (applied by /v1/models/{m}/predict). */
@ApiTags('versions')
@Controller('v1/models/:name/versions/:version/pipeline')
export class PipelineController {
  constructor(private readonly registry: ModelRegistry) {}

  @Get()
  @Scopes('models:read')
  @ApiOkResponse({ type: VersionPipelineDto, description: 'The pipeline, or null when the version has none' })
  async get(@Tenant() tenantId: string, @Param('name') name: string, @Param('version') reference: string) {
    const { version } = await this.registry.resolveVersion(tenantId, name, reference);
    return { model: name, version: version.number, pipeline: version.pipeline ?? null };
  }

  /** Replaces the pipeline; a 400 names every step that does not fit the signature. */
  @Put()
  @Scopes('models:write')
  // The body's JSON Schema is the validator's own (zod), so the document cannot drift from what is accepted.
  @ApiBody({ schema: PIPELINE_SCHEMA })
  @ApiOkResponse({ type: VersionPipelineDto, description: 'The pipeline as stored (defaults filled in)' })
  async put(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') reference: string, @Body() body: unknown) {
    const version = await this.registry.setPipeline(principal, name, reference, body ?? {});
    return { model: name, version: version.number, pipeline: version.pipeline };
  }

  @Delete()
  @Scopes('models:write')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed: predict answers raw outputs again' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') reference: string) {
    await this.registry.setPipeline(principal, name, reference, null);
  }
}
