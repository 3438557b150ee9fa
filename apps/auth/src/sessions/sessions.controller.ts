import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags, ApiTooManyRequestsResponse, ApiOkResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { CurrentPrincipal, PasswordGuard, Principal, Public, Scopes } from '@maas/identity';
import { LoginResponseDto } from './dto/session.response';
import { AcceptedInviteDto } from './dto/session.response';
import { AcceptInviteDto } from './dto/accept-invite.dto';
import { LoginDto } from './dto/login.dto';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('v1/auth')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @UseGuards(LoginThrottlerGuard, PasswordGuard)
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this email or from this address; see Retry-After' })
  login(@CurrentPrincipal() principal: Principal) {
    return this.sessions.login(principal);
  }

  @Post('logout')
  @Scopes()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Every session of the user has ended' })
  logout(@CurrentPrincipal() principal: Principal) {
    return this.sessions.logout(principal);
  }

  @Post('accept-invite')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: AcceptedInviteDto })
  acceptInvite(@Body() dto: AcceptInviteDto, @Ip() ip: string) {
    return this.sessions.acceptInvite(dto, ip);
  }
}
