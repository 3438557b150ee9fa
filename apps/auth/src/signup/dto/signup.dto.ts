import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { EmailField } from '../../common/email-field.decorator';

export class SignupDto {
  @EmailField('ada@example.com')
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
