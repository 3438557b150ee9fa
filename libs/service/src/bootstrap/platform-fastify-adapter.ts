import { FastifyAdapter } from '@nestjs/platform-fastify';

/**
 * Nest's Fastify adapter, minus Nest's second error handler. Fastify binds a route's error handler
 * when the route is added; ours (ErrorFilter.handleFastifyErrors) is set before any route, so it is
 * the one every route uses. Nest sets its own after the routes exist, where it changes nothing but
 * makes Fastify print FSTWRN004 ("overriding an errorHandler") at every start.
 */
export class PlatformFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(): ReturnType<FastifyAdapter['setErrorHandler']> {
    return this.getInstance();
  }
}
