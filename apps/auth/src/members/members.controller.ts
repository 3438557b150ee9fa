import { Body, Controller, Delete, Get, HttpCode, Ip, Patch, Post } from '@nestjs/common';
import { ApiTags, ApiOkResponse, ApiCreatedResponse, ApiNoContentResponse } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Scopes, Tenant } from '@maas/identity';
import { UuidParam } from '@maas/service';
import { InvitedMemberDto, MemberDto } from './dto/member.response';
import { ChangeRoleDto } from './dto/change-role.dto';
import { InviteMemberDto } from './dto/invite-member.dto';
import { MembersService } from './members.service';

/** Managing members needs `keys:manage`, which owners and admins hold and members do not. */
@ApiTags('members')
@Controller('v1/members')
export class MembersController {
  constructor(private readonly members: MembersService) {}

  @Get()
  @Scopes('keys:manage')
  @ApiOkResponse({ type: [MemberDto] })
  list(@Tenant() tenantId: string) {
    return this.members.list(tenantId);
  }

  @Post()
  @Scopes('keys:manage')
  @HttpCode(201)
  @ApiCreatedResponse({ type: InvitedMemberDto })
  invite(@CurrentPrincipal() principal: Principal, @Body() dto: InviteMemberDto, @Ip() ip: string) {
    return this.members.invite(principal, dto, ip);
  }

  @Patch(':id')
  @Scopes('keys:manage')
  @ApiOkResponse({ type: MemberDto })
  changeRole(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: ChangeRoleDto, @Ip() ip: string) {
    return this.members.changeRole(principal, id, dto, ip);
  }

  @Delete(':id')
  @Scopes('keys:manage')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Removed; their sessions end' })
  remove(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Ip() ip: string) {
    return this.members.remove(principal, id, ip);
  }
}
