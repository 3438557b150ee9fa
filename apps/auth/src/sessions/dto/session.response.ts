import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  @ApiProperty({ description: 'A short-lived JWT for `Authorization: Bearer`' }) token!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class LoginResponseDto {
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
}
