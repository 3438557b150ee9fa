import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { compressionRequestSchema, CompressionsService, TrainingEvents } from '@maas/jobs';
import { openApiSchema, UuidParam } from '@maas/service';
import { answerJobEvents } from '../job-events';
import { TrainingEventPageDto } from '../trainer.responses';
import { EventsQueryDto } from '../training-jobs/dto/job-query.dto';
import { CompressionDto } from './compression.responses';

const COMPRESSION_REQUEST_SCHEMA = openApiSchema(compressionRequestSchema);

/** A version compressed (int8 / fp16) into a new version, checked against it first: a job on the training queue. */
@ApiTags('compression')
@Controller()
export class CompressionsController {
  constructor(
    private readonly compressions: CompressionsService,
    private readonly events: TrainingEvents,
  ) {}

  @Post('v1/models/:name/versions/:version/compress')
  @Scopes('models:write')
  @HttpCode(201)
  // The body's JSON Schema is the validator's own (zod), so the document cannot drift from what is accepted.
  @ApiBody({ schema: COMPRESSION_REQUEST_SCHEMA })
  @ApiCreatedResponse({ type: CompressionDto, description: 'Queued' })
  create(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') version: string, @Body() body: Record<string, unknown>) {
    return this.compressions.create(principal, name, version, body);
  }

  @Get('v1/models/:name/versions/:version/compressions')
  @Scopes('models:read')
  @ApiOkResponse({ type: [CompressionDto], description: 'Newest first' })
  list(@Tenant() tenantId: string, @Param('name') name: string, @Param('version') version: string) {
    return this.compressions.listForVersion(tenantId, name, version);
  }

  @Get('v1/compressions/:id')
  @Scopes('models:read')
  @ApiOkResponse({ type: CompressionDto })
  get(@Tenant() tenantId: string, @UuidParam('id') id: string) {
    return this.compressions.get(tenantId, id);
  }

  /** A page of events, or (Accept: text/event-stream) the live stream, resumable with Last-Event-ID. */
  @Get('v1/compressions/:id/events')
  @Scopes('models:read')
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: TrainingEventPageDto })
  async listEvents(@Tenant() tenantId: string, @UuidParam('id') id: string, @Query() query: EventsQueryDto, @Headers('accept') accept: string | undefined, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const job = await this.compressions.find(tenantId, id);
    return answerJobEvents(this.events, job, { after: query.after, limit: query.limit, accept, lastEventId }, request, reply);
  }
}
