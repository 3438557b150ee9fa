import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * A provider that registers routes on Fastify itself rather than through a Nest controller (the
 * gateway's inference routes: see KserveInferRoutes), and describes them for the OpenAPI document,
 * which only sees controllers by itself.
 */
export abstract class RoutesOutsideNest {
  /** The routes' path items, referring to `models` by `getSchemaPath`. */
  abstract openApiPaths(): OpenAPIObject['paths'];
  abstract readonly openApiModels: Type[];
}

/** Every such provider of the app. */
export function routesOutsideNest(app: INestApplication): RoutesOutsideNest[] {
  const found: RoutesOutsideNest[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const provider of module.providers.values()) if (provider.instance instanceof RoutesOutsideNest) found.push(provider.instance);
  }
  return found;
}
