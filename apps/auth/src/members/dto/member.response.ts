import { ApiProperty } from '@nestjs/swagger';

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['OWNER', 'ADMIN', 'MEMBER'] }) role!: string;
  @ApiProperty({ description: 'Invited, has not set a password yet' }) pending!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastLoginAt!: string | null;
}

export class InvitedMemberDto {
  @ApiProperty({ type: MemberDto }) member!: MemberDto;
  @ApiProperty({ description: 'For POST /v1/auth/accept-invite: shown this once, stored as a hash' }) inviteToken!: string;
  @ApiProperty({ format: 'date-time' }) inviteExpiresAt!: string;
}
