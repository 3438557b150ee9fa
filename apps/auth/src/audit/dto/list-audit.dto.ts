import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ListAuditDto {
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(500)
  limit = 50;

  @ApiPropertyOptional({ description: 'Return events older than this event id (paging)' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'before must be an event id' })
  before?: string;
}
