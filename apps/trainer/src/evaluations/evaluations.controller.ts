import { BadRequestException, Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { evaluationRequestSchema, EvaluationsService, TrainingEvents } from '@maas/jobs';
import { openApiSchema, UuidParam } from '@maas/service';
import { answerJobEvents } from '../job-events';
import { EventsQueryDto } from '../training-jobs/dto/job-query.dto';
import { EvaluationComparisonDto, EvaluationDto } from './evaluation.responses';
import { TrainingEventPageDto } from '../trainer.responses';

const EVALUATION_REQUEST_SCHEMA = openApiSchema(evaluationRequestSchema);

/** A version scored on a labelled dataset (MLflow's evaluate), as a job on the training queue. */
@ApiTags('evaluations')
@Controller()
export class EvaluationsController {
  constructor(
    private readonly evaluations: EvaluationsService,
    private readonly events: TrainingEvents,
  ) {}

  /** Checks that the dataset fits the version (a 400 lists every problem), then queues the evaluation. */
  @Post('v1/models/:name/versions/:version/evaluations')
  @Scopes('training')
  @HttpCode(201)
  // The body's JSON Schema is the validator's own (zod), so the document cannot drift from what is accepted.
  @ApiBody({ schema: EVALUATION_REQUEST_SCHEMA })
  @ApiCreatedResponse({ type: EvaluationDto, description: 'Queued' })
  create(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('version') version: string, @Body() body: Record<string, unknown>) {
    return this.evaluations.create(principal, name, version, body);
  }

  @Get('v1/models/:name/versions/:version/evaluations')
  @Scopes('training')
  @ApiOkResponse({ type: [EvaluationDto], description: 'Newest first' })
  list(@Tenant() tenantId: string, @Param('name') name: string, @Param('version') version: string) {
    return this.evaluations.listForVersion(tenantId, name, version);
  }

  /** Every version's latest succeeded evaluation on one dataset, lined up by version. */
  @Get('v1/models/:name/evaluations')
  @Scopes('training')
  @ApiQuery({ name: 'dataset', required: true, description: 'The dataset (name or id) the versions were evaluated on' })
  @ApiOkResponse({ type: EvaluationComparisonDto })
  compare(@Tenant() tenantId: string, @Param('name') name: string, @Query('dataset') dataset: string | undefined) {
    return this.evaluations.compare(tenantId, name, requiredDataset(dataset));
  }

  @Get('v1/evaluations/:id')
  @Scopes('training')
  @ApiOkResponse({ type: EvaluationDto })
  get(@Tenant() tenantId: string, @UuidParam('id') id: string) {
    return this.evaluations.get(tenantId, id);
  }

  /** A page of events, or (Accept: text/event-stream) the live stream, resumable with Last-Event-ID. */
  @Get('v1/evaluations/:id/events')
  @Scopes('training')
  @ApiProduces('application/json', 'text/event-stream')
  @ApiOkResponse({ type: TrainingEventPageDto })
  async listEvents(@Tenant() tenantId: string, @UuidParam('id') id: string, @Query() query: EventsQueryDto, @Headers('accept') accept: string | undefined, @Headers('last-event-id') lastEventId: string | undefined, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const evaluation = await this.evaluations.find(tenantId, id);
    return answerJobEvents(this.events, evaluation, { after: query.after, limit: query.limit, accept, lastEventId }, request, reply);
  }
}

function requiredDataset(dataset: string | undefined): string {
  if (!dataset) throw new BadRequestException('?dataset= names the dataset whose evaluations are compared');
  return dataset;
}
