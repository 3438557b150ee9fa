import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppConfig } from '@maas/config';
import { Principal, RequestAuthenticator, Scope } from '@maas/identity';
import { JSON_BODY_AS_BYTES_ROUTE_CONFIG, RoutesOutsideNest, UNTYPED_BODY_ROUTE_CONFIG } from '@maas/service';
import { InferenceService } from '../inference/inference.service';
import { InferenceAdmission } from '../usage/inference-admission';
import { readInferenceBody, sendEncodedResponse, sendInferenceResponse } from './kserve-http';
import { InferRequestDto, InferResponseDto, KserveErrorDto } from './kserve.schemas';

const REQUIRED: readonly Scope[] = ['infer'];

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['post']>;

type InferRequest = FastifyRequest<{ Params: { model: string; version?: string } }> & { principal: Principal | null };

/**
 * `POST /v2/models/{m}[/versions/{v}]/infer`, the platform's hot path, registered on Fastify directly
 * rather than through a Nest controller: Nest's router, guards and parameter pipeline cost about a
 * third of the inference throughput here (a bare Nest route answered 17.9k req/s where Fastify
 * answered 26.6k). Everything else a Nest route gets is still done, in the same order: credentials
 * and scope (RequestAuthenticator, as the global guards use it) before the body is read, plan limits
 * (InferenceAdmission), usage, statistics and metrics (InferenceService), errors through the
 * platform's error handler, one access-log line per request (Fastify's logger). A JSON body stays
 * bytes on this thread: the model's host decodes, runs and encodes it (InferenceService.inferJson).
 * OpenAPI learns of the routes through RoutesOutsideNest.
 */
@Injectable()
export class KserveInferRoutes extends RoutesOutsideNest implements OnModuleInit {
  readonly openApiModels = [InferRequestDto, InferResponseDto, KserveErrorDto];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly authenticator: RequestAuthenticator,
    private readonly admission: InferenceAdmission,
    private readonly inference: InferenceService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // A declared property keeps every request object the same shape (Fastify's advice for decorations).
    fastify.decorateRequest('principal', null);
    const options = { config: { ...UNTYPED_BODY_ROUTE_CONFIG, ...JSON_BODY_AS_BYTES_ROUTE_CONFIG } as FastifyContextConfig, onRequest: (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => this.authenticate(request as InferRequest, done) };
    const handler = (request: FastifyRequest, reply: FastifyReply) => this.infer(request as InferRequest, reply);
    fastify.post('/v2/models/:model/infer', options, handler);
    fastify.post('/v2/models/:model/versions/:version/infer', options, handler);
  }

  /** Who is calling, with the scope to infer; synchronous for a cached API key. */
  private authenticate(request: InferRequest, done: HookHandlerDoneFunction): void {
    try {
      const principal = this.authenticator.authenticate(request);
      if (principal instanceof Promise) return void principal.then((known) => this.admit(request, known)).then(() => done(), done);
      this.admit(request, principal);
    } catch (error) {
      return done(error as Error);
    }
    done();
  }

  private admit(request: InferRequest, principal: Principal): void {
    this.authenticator.authorize(principal, REQUIRED);
    request.principal = principal;
  }

  private infer(request: InferRequest, reply: FastifyReply): Promise<FastifyReply> {
    const principal = request.principal!;
    const { model, version } = request.params;
    const abandoned = () => request.raw.socket.destroyed;
    return this.admission.within(principal, reply, async () => {
      const body = await readInferenceBody(request, this.config.maxRequestBytes);
      if ('json' in body) return sendEncodedResponse(reply.status(200), await this.inference.inferJson(principal, model, version, body.json, abandoned));
      const response = await this.inference.infer(principal, model, version, body.decoded, abandoned);
      return sendInferenceResponse(reply.status(200), body.decoded, response);
    });
  }

  openApiPaths(): OpenAPIObject['paths'] {
    return {
      '/v2/models/{model}/infer': { post: inferOperation('inferLatest', ['model']) },
      '/v2/models/{model}/versions/{version}/infer': { post: inferOperation('inferVersion', ['model', 'version']) },
    };
  }
}

function inferOperation(name: string, parameters: string[]): OperationObject {
  const json = (model: Parameters<typeof getSchemaPath>[0]) => ({ 'application/json': { schema: { $ref: getSchemaPath(model) } } });
  return {
    operationId: `KserveInferRoutes_${name}`,
    tags: ['inference (KServe V2)'],
    parameters: parameters.map((parameter) => ({ name: parameter, required: true, in: 'path' as const, schema: { type: 'string' as const } })),
    requestBody: { required: true, content: json(InferRequestDto) },
    responses: {
      200: { description: '', content: json(InferResponseDto) },
      401: { description: 'Missing, malformed, unknown, expired or revoked credentials' },
      403: { description: 'Needs scope infer' },
      default: { description: 'KServe V2 error', content: json(KserveErrorDto) },
    },
    security: [{ bearer: [] as string[] }, { 'api-key': [] as string[] }],
  };
}
