import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export class UploadDatasetQueryDto {
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'name must be 1–63 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit' })
  name!: string;

  @IsOptional()
  @IsIn(['csv', 'jsonl'], { message: 'format must be csv or jsonl' })
  format?: string;

  /** The label's column (CSV) or key (JSON lines); "label" unless given. */
  @IsOptional()
  @IsString()
  labelColumn?: string;
}

export class ListQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
