import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { MODEL_NAME_PATTERN } from '@maas/registry';

/** `tags` is a flat map of string to string, MLflow-style. */
export const IsStringRecord = () =>
  ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' && value !== null && !Array.isArray(value) && Object.entries(value).length <= 50 && Object.entries(value).every(([key, item]) => key.length <= 100 && typeof item === 'string' && item.length <= 500),
      defaultMessage: () => 'tags must be an object of up to 50 string values (keys up to 100 characters, values up to 500)',
    },
  });

export class CreateModelDto {
  @ApiProperty({ example: 'fraud-detector', description: 'Letters, digits, ".", "_" and "-"; unique in the tenant' })
  @IsString()
  @Matches(MODEL_NAME_PATTERN, { message: 'name must start with a letter or digit and use only letters, digits, ".", "_" and "-" (at most 100 characters)' })
  name!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'classification' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  task?: string;

  @ApiPropertyOptional({ example: { team: 'risk' } })
  @IsOptional()
  @IsStringRecord()
  tags?: Record<string, string>;
}
