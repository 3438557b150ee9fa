import { ApiProperty } from '@nestjs/swagger';

/** Documents the body; passport-local reads it before validation pipes run. */
export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty()
  password!: string;
}
