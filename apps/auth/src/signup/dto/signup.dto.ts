import { Transform } from 'class-transformer';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ description: 'At least 10 characters, letters mixed with digits or symbols' })
  @IsString()
  @MaxLength(256)
  password!: string;

  @ApiProperty({ example: 'Analytical Engines Ltd' })
  @IsString()
  @MinLength(1, { message: 'organization must not be empty' })
  @MaxLength(100)
  organization!: string;
}
