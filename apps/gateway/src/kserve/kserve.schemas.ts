import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class InferTensorDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [Number] }) shape!: number[];
  @ApiProperty({ example: 'FP32' }) datatype!: string;
  @ApiProperty({ type: 'array', items: {}, description: 'Row-major values (numbers, booleans, or strings for BYTES)' }) data!: unknown[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) parameters?: Record<string, unknown>;
}

export class RequestedOutputDto {
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'binary_data: true for the binary extension' }) parameters?: Record<string, unknown>;
}

/** The KServe V2 inference request (JSON form; the binary extension is `application/octet-stream` with `Inference-Header-Content-Length`). */
export class InferRequestDto {
  @ApiPropertyOptional() id?: string;
  @ApiProperty({ type: [InferTensorDto] }) inputs!: InferTensorDto[];
  @ApiPropertyOptional({ type: [RequestedOutputDto] }) outputs?: RequestedOutputDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) parameters?: Record<string, unknown>;
}

export class InferResponseDto {
  @ApiProperty() model_name!: string;
  @ApiProperty() model_version!: string;
  @ApiPropertyOptional() id?: string;
  @ApiProperty({ type: [InferTensorDto] }) outputs!: InferTensorDto[];
}

/** KServe errors keep the protocol's shape. */
export class KserveErrorDto {
  @ApiProperty({ example: 'unexpected inference input "x"' }) error!: string;
}
