import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiTags, ApiOkResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { ALIAS_PATTERN, ModelRegistry } from '@maas/registry';
import { AliasDto } from '../registry.responses';
import { aliasView } from '../views';
import { SetAliasDto } from './dto/set-alias.dto';

@ApiTags('aliases')
@Controller('v1/models/:name/aliases')
export class AliasesController {
  constructor(private readonly registry: ModelRegistry) {}

  @Get()
  @Scopes('models:read')
  @ApiOkResponse({ type: [AliasDto] })
  async list(@Tenant() tenantId: string, @Param('name') name: string) {
    const model = await this.registry.getModel(tenantId, name);
    const [aliases, versions] = await Promise.all([this.registry.listAliases(tenantId, model), this.registry.listVersions(tenantId, model)]);
    const numberOf = new Map(versions.map((version) => [version.id, version.number]));
    return aliases.map((alias) => aliasView(alias, numberOf.get(alias.versionId)!));
  }

  /** Creates or moves the alias, atomically; gateways switch at once (PostgreSQL NOTIFY). */
  @Put(':alias')
  @Scopes('models:write')
  @ApiOkResponse({ type: AliasDto })
  async set(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('alias') alias: string, @Body() dto: SetAliasDto) {
    if (!ALIAS_PATTERN.test(alias)) throw new BadRequestException('alias must start with a lowercase letter and use only lowercase letters, digits, "_" and "-" (at most 63 characters)');
    const saved = await this.registry.setAlias(principal, name, alias, dto.version);
    return aliasView(saved.alias, saved.version.number);
  }

  @Delete(':alias')
  @Scopes('models:write')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed' })
  delete(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Param('alias') alias: string) {
    return this.registry.deleteAlias(principal, name, alias);
  }
}
