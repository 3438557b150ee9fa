import type { FastifyInstance } from 'fastify';

const DRAINING = Symbol('maas.draining');
const DRAIN_LISTENERS = Symbol('maas.drainListeners');

type Drainable = FastifyInstance & { [DRAINING]?: boolean; [DRAIN_LISTENERS]?: Set<() => void> };

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
  const drainable = fastify as Drainable;
  drainable[DRAINING] = true;
  for (const listener of drainable[DRAIN_LISTENERS] ?? []) listener();
}

/**
 * Calls `listener` when the server starts draining: long-lived answers (Server-Sent Events) end
 * then, so the drain does not wait for them until its timeout. Returns the unsubscribe.
 */
export function whenDraining(fastify: FastifyInstance, listener: () => void): () => void {
  const drainable = fastify as Drainable;
  if (drainable[DRAINING]) {
    listener();
    return () => undefined;
  }
  const listeners = (drainable[DRAIN_LISTENERS] ??= new Set());
  listeners.add(listener);
  return () => listeners.delete(listener);
}
