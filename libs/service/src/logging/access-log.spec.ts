import pino from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { OneLinePerRequest } from './access-log';
import { replySerializer, requestSerializer } from './root-logger';

function capturingLogger(level = 'info') {
  const lines: string[] = [];
  const logger = pino({ level, serializers: { req: requestSerializer, res: replySerializer } }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

const request = { id: 'req-"1"', method: 'POST', url: '/v2/models/m/infer?x="y"\u2028', ip: '127.0.0.1' } as unknown as FastifyRequest;

describe('the access line', () => {
  it('is the line pino itself writes for the same request, apart from its time', () => {
    const { logger, lines } = capturingLogger();
    const reply = { statusCode: 200, elapsedTime: 1.25, log: logger } as unknown as FastifyReply;
    new OneLinePerRequest().requestCompleted(null, request, reply);
    logger.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    const [templated, written] = lines.map((line) => ({ ...JSON.parse(line), time: 0 }));
    expect(templated).toEqual(written);
    expect(templated.req).toEqual({ id: 'req-"1"', method: 'POST', url: '/v2/models/m/infer?x="y"\u2028', remoteAddress: '127.0.0.1' });
    expect(lines[0].endsWith('\n')).toBe(true);
  });

  it('is not written below its level, and errors still go through pino', () => {
    const quiet = capturingLogger('warn');
    new OneLinePerRequest().requestCompleted(null, request, { statusCode: 200, elapsedTime: 1, log: quiet.logger } as unknown as FastifyReply);
    expect(quiet.lines).toEqual([]);
    new OneLinePerRequest().requestCompleted(new Error('boom'), request, { statusCode: 500, elapsedTime: 1, log: quiet.logger } as unknown as FastifyReply);
    expect(JSON.parse(quiet.lines[0])).toMatchObject({ level: 50, msg: 'request errored', err: { message: 'boom' }, res: { statusCode: 500 } });
  });
});
