import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { TrainingEvents, TrainingJobsService, trainingRequestSchema } from '@maas/jobs';
import { openApiSchema, UuidParam } from '@maas/service';
import { answerJobEvents } from '../job-events';
import { CheckpointDto, PromotedCheckpointDto, TrainingEventDto, TrainingEventPageDto, TrainingJobDto, TrainingJobPageDto } from '../trainer.responses';
import { EventsQueryDto, ListJobsQueryDto } from './dto/job-query.dto';


const TRAINING_REQUEST_SCHEMA = openApiSchema(trainingRequestSchema);
@ApiTags('training')
@Controller('v1/training-jobs')
export class TrainingJobsController {
  constructor(
    private readonly jobs: TrainingJobsService,
    private readonly events: TrainingEvents,
  ) {}

  /** Validates everything (a 400 lists every problem), writes the job and queues it. */
  @Post()
  @Scopes('training')
  @HttpCode(201)
  // The body's JSON Schema is the validator's own (zod), so the document cannot drift from what is accepted.
  @ApiBody({ description: 'model, dataset, task, architecture.layers or baseVersion, optimizer, learningRate, epochs, batchSize…', schema: TRAINING_REQUEST_SCHEMA })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeated request with the same key returns the first job' })
  @ApiCreatedResponse({ type: TrainingJobDto, description: 'Queued (with Idempotency-Key, a repeat answers the same job)' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: Record<string, unknown>, @Headers('idempotency-key') idempotencyKey: string | undefined) {
    return this.jobs.create(principal, body, idempotencyKey?.slice(0, 200));
  }

  @Get()
  @Scopes('training')
  @ApiOkResponse({ type: TrainingJobPageDto })
  list(@Tenant() tenantId: string, @Query() query: ListJobsQueryDto) {
    return this.jobs.list(tenantId, query);
  }

  @Get(':id')
  @Scopes('training')
  @ApiOkResponse({ type: TrainingJobDto })
  get(@Tenant() tenantId: string, @UuidParam('id') id: string) {
    return this.jobs.get(tenantId, id);
  }

  /** A page of events, or (Accept: text/event-stream) the live stream, resumable with Last-Event-ID. */
  @Get(':id/events')
  @Scopes('training')
  @ApiProduces('application/json', 'text/event-stream')
  @ApiExtraModels(TrainingEventDto)
  @ApiOkResponse({ type: TrainingEventPageDto, description: 'A page of events; with Accept: text/event-stream, the live stream (each event an SSE `id`/`event`/`data` with a TrainingEvent as data, then `event: end`)' })
  async listEvents(@Tenant() tenantId: string, @UuidParam('id') id: string, @Query() query: EventsQueryDto, @Headers('accept') accept: string | undefined, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const job = await this.jobs.find(tenantId, id);
    return answerJobEvents(this.events, job, { after: query.after, limit: query.limit, accept, lastEventId }, request, reply);
  }

  /** One per epoch (the newest MAAS_TRAINING_CHECKPOINTS_KEPT), each with its metrics. */
  @Get(':id/checkpoints')
  @Scopes('training')
  @ApiOkResponse({ type: [CheckpointDto] })
  checkpoints(@Tenant() tenantId: string, @UuidParam('id') id: string) {
    return this.jobs.checkpoints(tenantId, id);
  }

  /** The model after that epoch, as a new version of the job's model. */
  @Post(':id/checkpoints/:epoch/promote')
  @Scopes('training', 'models:write')
  @HttpCode(201)
  @ApiCreatedResponse({ type: PromotedCheckpointDto })
  promote(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string, @Param('epoch', ParseIntPipe) epoch: number) {
    return this.jobs.promoteCheckpoint(principal, id, epoch);
  }

  /** A queued job is removed; a running one stops between batches and creates no version. */
  @Post(':id/cancel')
  @Scopes('training')
  @HttpCode(200)
  @ApiOkResponse({ type: TrainingJobDto, description: 'The job, cancel requested (it stops between batches)' })
  cancel(@CurrentPrincipal() principal: Principal, @UuidParam('id') id: string) {
    return this.jobs.cancel(principal, id);
  }
}
