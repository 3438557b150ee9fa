import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, getSchemaPath, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorResponseDto } from './error-response.dto';
import { routesOutsideNest } from './routes-outside-nest';

/** Builds the OpenAPI document: every operation's success bodies (declared on the routes) and the common error shape. */
export function openApiDocument(app: INestApplication, title: string): OpenAPIObject {
  const outside = routesOutsideNest(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setDescription('Multi-tenant Model-as-a-Service platform. Errors: {"error":{"code","message"}}.')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
    { extraModels: [ErrorResponseDto, ...outside.flatMap((routes) => routes.openApiModels)] },
  );
  for (const routes of outside) Object.assign(document.paths, routes.openApiPaths());
  declareErrorResponses(document);
  return document;
}

/** Serves the OpenAPI document at `/docs` (UI) and `/docs/json`. */
export function serveOpenApi(app: INestApplication, title: string): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, title), { jsonDocumentUrl: 'docs/json' });
}

/** Every operation answers errors as ErrorResponse unless it declares its own (KServe keeps the protocol's). */
function declareErrorResponses(document: OpenAPIObject): void {
  const error = { description: 'An error: 4xx for a request to change, 5xx (503 with Retry-After) for a fault', content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } } };
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (operation && !operation.responses.default) operation.responses.default = error;
    }
  }
}
