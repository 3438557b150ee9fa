import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ description: 'A short-lived JWT for `Authorization: Bearer`' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class LoginResponseDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
}

export class InvitedUserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['OWNER', 'ADMIN', 'MEMBER'] }) role!: string;
}

export class AcceptedInviteDto {
  @ApiProperty({ type: InvitedUserDto }) user!: InvitedUserDto;
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
}
