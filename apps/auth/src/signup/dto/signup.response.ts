import { ApiProperty } from '@nestjs/swagger';
import { TenantDto, UserDto } from '../../me/dto/me.response';
import { SessionDto } from '../../sessions/dto/session.response';

export class FirstKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The whole key, mk_<publicId>_<secret>: shown this once, never stored' }) key!: string;
  @ApiProperty() prefix!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
}

export class SignupResponseDto {
  @ApiProperty({ type: TenantDto }) tenant!: TenantDto;
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: FirstKeyDto, description: 'The first key; its secret is shown this once' }) apiKey!: FirstKeyDto;
  @ApiProperty({ type: SessionDto }) session!: SessionDto;
}
