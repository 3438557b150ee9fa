import type { FastifyInstance } from 'fastify';

const DRAINING = Symbol('maas.draining');

type Drainable = FastifyInstance & { [DRAINING]?: boolean };

/**
 * While draining, every answer carries `Connection: close`, so kept-alive clients move to another
 * instance after their current request instead of sending the next one into a socket about to close.
 * (Closing an idle kept-alive socket races with a request already on its way: the client sees a reset.)
 */
export function closeConnectionsWhileDraining(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (_request, reply, done) => {
    if ((fastify as Drainable)[DRAINING]) void reply.header('connection', 'close');
    done();
  });
}

export function startDraining(fastify: FastifyInstance): void {
  (fastify as Drainable)[DRAINING] = true;
}
