import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';

export class ListJobsQueryDto {
  @IsOptional()
  @IsIn(['queued', 'running', 'succeeded', 'failed', 'cancelled'], { message: 'status must be one of queued, running, succeeded, failed, cancelled' })
  status?: string;

  @IsOptional()
  @IsString()
  model?: string;

  /** Cursor: the `nextCursor` of the previous page. */
  @IsOptional()
  @IsUUID('all', { message: 'after must be a job id (the nextCursor of the previous page)' })
  after?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
}

export class EventsQueryDto {
  /** Events after this id (as Last-Event-ID does for the live stream). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}
