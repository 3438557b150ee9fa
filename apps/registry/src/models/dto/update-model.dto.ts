import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsStringRecord } from './create-model.dto';

export class UpdateModelDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  task?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsStringRecord()
  tags?: Record<string, string>;
}
