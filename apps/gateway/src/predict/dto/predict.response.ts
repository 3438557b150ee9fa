import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PredictOutputDto {
  @ApiProperty({ example: 'FP32' }) datatype!: string;
  @ApiProperty({ type: [Number] }) shape!: number[];
  @ApiProperty({ type: 'array', items: {}, description: 'Row-major values (strings for BYTES)' }) data!: unknown[];
}

export class PredictResponseDto {
  @ApiProperty() model!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/PredictOutputDto' }, description: 'Outputs by name' }) outputs!: Record<string, PredictOutputDto>;
  @ApiPropertyOptional({ type: 'array', items: {}, description: 'Per row, when `postprocess` was asked for: softmax/sigmoid, top-k classes and scores' }) postprocessed?: unknown[];
}
