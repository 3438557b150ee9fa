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
  @ApiProperty({ type: 'array', items: {}, description: 'Per row of `predictionsOf`: `[{label, index, score}]` ranked (a classifier: the pipeline or request has a postprocess), else the row\'s value(s)' }) predictions!: unknown[];
  @ApiProperty({ description: 'The output the predictions were read from' }) predictionsOf!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'When the request sent `postprocess`: the scores, argmax and top-k as tensors' }) postprocessed?: Record<string, unknown>;
}
