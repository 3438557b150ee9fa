import { Controller, Get } from '@nestjs/common';
import { ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes } from '@maas/identity';
import { MeResponseDto } from './dto/me.response';
import { MeService } from './me.service';

@ApiTags('auth')
@Controller('v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  /** Who is calling: the user (for a session), the key (for an API key), the tenant, its plan and limits. */
  @Get()
  @Scopes()
  @ApiOkResponse({ type: MeResponseDto })
  describe(@CurrentPrincipal() principal: Principal) {
    return this.me.describe(principal);
  }
}
