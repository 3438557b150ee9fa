import type { Response } from './http-client';

export interface Outcome {
  /** When the request was sent (performance.now()). */
  sentAt: number;
  /** HTTP status, or the socket error's code when no answer came (ECONNRESET, ECONNREFUSED…). */
  status: number | string;
  /** The body of an answer that was not a 2xx, to say why in a failure. */
  body?: string;
}

export interface SteadyLoad {
  outcomes: Outcome[];
  /** Stops sending and resolves once every request in flight has its outcome. */
  stop(): Promise<Outcome[]>;
}

/** `concurrency` loops, each sending `send()` again as soon as its previous request is answered. */
export function startSteadyLoad(concurrency: number, send: () => Promise<Response>): SteadyLoad {
  const outcomes: Outcome[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const sentAt = performance.now();
      try {
        const response = await send();
        outcomes.push(response.statusCode < 300 ? { sentAt, status: response.statusCode } : { sentAt, status: response.statusCode, body: response.body });
      } catch (error) {
        outcomes.push({ sentAt, status: (error as NodeJS.ErrnoException).code ?? String(error) });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return outcomes;
    },
  };
}

/** The distinct bodies of the answers that were not 2xx (at most `limit`), for failure messages. */
export function failureBodies(outcomes: Outcome[], limit = 3): string[] {
  return [...new Set(outcomes.flatMap((outcome) => (outcome.body === undefined ? [] : [`${outcome.status}: ${outcome.body.slice(0, 300)}`])))].slice(0, limit);
}

/** Outcomes counted by status, e.g. `{ 200: 1432, 503: 2 }`. */
export function countByStatus(outcomes: Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
