import { Body, Controller, Delete, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiTags, ApiOkResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { UuidParam } from '@maas/service';
import { ApiKeyDto, CreatedApiKeyDto } from './dto/api-key.response';
import { CreateKeyDto } from './dto/create-key.dto';
import { KeysService } from './keys.service';

@ApiTags('keys')
@Controller('v1/keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Post()
  @Scopes('keys:manage')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'The key as mk_<publicId>_<secret>, shown this once', type: CreatedApiKeyDto })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateKeyDto, @Ip() ip: string) {
    return this.keys.create(principal, dto, ip);
  }

  @Get()
  @Scopes('keys:manage')
  @ApiOkResponse({ type: [ApiKeyDto] })
  list(@Tenant() tenantId: string) {
    return this.keys.list(tenantId);
  }

  @Delete(':id')
  @Scopes('keys:manage')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiNotFoundResponse({ description: 'No such key in this tenant' })
  revoke(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Ip() ip: string) {
    return this.keys.revoke(principal, id, ip);
  }
}
