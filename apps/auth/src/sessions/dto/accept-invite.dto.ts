import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class AcceptInviteDto {
  @ApiProperty({ description: 'The invitation token the inviter received (mi_...)' })
  @IsString()
  @Matches(/^mi_[A-Za-z0-9_-]{43}$/, { message: 'token must be an invitation token (mi_ followed by 43 characters)' })
  token!: string;

  @ApiProperty({ description: 'At least 10 characters, letters mixed with digits or symbols' })
  @IsString()
  @MaxLength(256)
  password!: string;
}
