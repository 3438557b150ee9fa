import { Controller, ForbiddenException, Get, Headers, Ip, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { Registry } from 'prom-client';
import { AppConfig } from '@maas/config';
import { ConnectionFaults } from '@maas/db';
import { UsageFlusher } from '@maas/usage';
import { Public } from '@maas/identity';
import { InferenceMetrics } from './inference-metrics';

/** Prometheus metrics for operators: with MAAS_METRICS_TOKEN as a bearer token, else from loopback only. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly registry: Registry;

  constructor(
    metrics: InferenceMetrics,
    faults: ConnectionFaults,
    usage: UsageFlusher,
    private readonly config: AppConfig,
  ) {
    this.registry = Registry.merge([metrics.registry, faults.registry, usage.registry]);
  }

  @Get()
  @Public()
  async scrape(@Headers('authorization') authorization: string | undefined, @Ip() ip: string, @Res() reply: FastifyReply) {
    if (!this.mayScrape(authorization, ip)) throw new ForbiddenException('Metrics are for operators: send the MAAS_METRICS_TOKEN as a bearer token');
    return reply.header('Content-Type', this.registry.contentType).send(await this.registry.metrics());
  }

  private mayScrape(authorization: string | undefined, ip: string): boolean {
    const token = this.config.metricsToken;
    if (!token) return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
    const presented = Buffer.from(authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
}
