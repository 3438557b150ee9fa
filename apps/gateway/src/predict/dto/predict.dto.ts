import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';

export class PostprocessDto {
  @ApiPropertyOptional({ description: 'Output to post-process (default: the first)' })
  @IsOptional()
  @IsString()
  output?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  softmax?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  sigmoid?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  argmax?: boolean;

  @ApiPropertyOptional({ description: 'The k best classes per row (after softmax if both are asked)' })
  @IsOptional()
  @IsInt({ message: 'postprocess.topk must be an integer' })
  @Min(1)
  @Max(1000)
  topk?: number;
}

export class PredictDto {
  @ApiProperty({ example: { input: [[0.1, 0.2, 0.3, 0.4]] }, description: 'Input name → nested array (row-major); datatypes come from the model' })
  @IsObject({ message: 'inputs must be an object of input name → nested array' })
  inputs!: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'A version number or alias (default: production, else newest)' })
  @IsOptional()
  @IsString()
  version?: string;

  @ApiPropertyOptional({ type: PostprocessDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PostprocessDto)
  postprocess?: PostprocessDto;
}
