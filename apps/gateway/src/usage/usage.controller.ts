import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiTags, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Scopes, Tenant } from '@maas/identity';
import { UsagePage, UsageQueryService, usageCsv, UsageSummary } from '@maas/usage';
import { UsagePageDto, UsageSummaryDto } from './usage.responses';

/** Usage, shaped like OpenAI's usage API, read from the per-minute rollups. */
@ApiTags('usage')
@Controller('v1/usage')
export class UsageController {
  constructor(
    private readonly usage: UsageQueryService,
    private readonly summary: UsageSummary,
  ) {}

  /** Buckets (1m, 1h, 1d) of requests, errors, items, bytes, training seconds and latency percentiles, grouped on request. */
  @Get()
  @Scopes('usage:read')
  @ApiQuery({ name: 'start_time', description: 'Unix seconds' })
  @ApiOkResponse({ type: UsagePageDto })
  query(@Tenant() tenantId: string, @Query() query: Record<string, unknown>) {
    return this.usage.query(tenantId, this.usage.parse(query));
  }

  /** The current billing period: totals, the monthly quota, and the estimated cost at the plan's prices. */
  @Get('summary')
  @Scopes('usage:read')
  @ApiOkResponse({ type: UsageSummaryDto })
  current(@Tenant() tenantId: string) {
    return this.summary.current(tenantId);
  }

  /** The same buckets as CSV, every page of the range. */
  @Get('export')
  @Scopes('usage:read')
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The same buckets as CSV, one row per bucket and group', schema: { type: 'string' } })
  async export(@Tenant() tenantId: string, @Query() query: Record<string, unknown>, @Res() reply: FastifyReply) {
    const { format, ...rest } = query;
    const request = this.usage.parse(rest);
    const pages: UsagePage[] = [];
    for (let page: number | undefined = undefined; ; ) {
      const answer = await this.usage.query(tenantId, { ...request, page });
      pages.push(answer);
      if (!answer.next_page) break;
      page = answer.next_page;
    }
    void format;
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="usage.csv"').send(usageCsv(pages));
  }
}
