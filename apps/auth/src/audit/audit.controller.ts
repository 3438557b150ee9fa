import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { AuditLog, Scopes, Tenant } from '@maas/identity';
import { AuditEntryDto } from './dto/audit-entry.response';
import { ListAuditDto } from './dto/list-audit.dto';

/** The tenant's audit trail, newest first; for owners and admins (scope `keys:manage`). */
@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditLog) {}

  @Get()
  @Scopes('keys:manage')
  @ApiOkResponse({ type: [AuditEntryDto], description: 'Newest first' })
  async list(@Tenant() tenantId: string, @Query() query: ListAuditDto) {
    const events = await this.audit.list(tenantId, { limit: query.limit, before: query.before ? BigInt(query.before) : undefined });
    return events.map((event) => ({ ...event, id: event.id.toString() }));
  }
}
