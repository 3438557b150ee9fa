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

export class ServerMetadataDto {
  @ApiProperty({ example: 'maas' }) name!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ type: [String], example: ['binary_tensor_data', 'classification', 'statistics'] }) extensions!: string[];
}

export class LiveDto {
  @ApiProperty() live!: boolean;
}

export class ReadyDto {
  @ApiProperty() ready!: boolean;
}

export class MetadataTensorDto {
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'FP32' }) datatype!: string;
  @ApiProperty({ type: [Number], description: '-1 for a dimension of any size' }) shape!: number[];
}

export class ModelMetadataDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) versions!: string[];
  @ApiProperty({ example: 'onnxruntime_onnx' }) platform!: string;
  @ApiProperty({ type: [MetadataTensorDto] }) inputs!: MetadataTensorDto[];
  @ApiProperty({ type: [MetadataTensorDto] }) outputs!: MetadataTensorDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) parameters?: Record<string, unknown>;
}

export class ModelReadyDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: string;
  @ApiProperty() ready!: boolean;
}

export class DurationStatDto {
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Total nanoseconds' }) ns!: number;
}

export class InferenceStatsDto {
  @ApiProperty({ type: DurationStatDto }) success!: DurationStatDto;
  @ApiProperty({ type: DurationStatDto }) fail!: DurationStatDto;
  @ApiProperty({ type: DurationStatDto }) queue!: DurationStatDto;
  @ApiProperty({ type: DurationStatDto }) compute_infer!: DurationStatDto;
}

export class ModelStatDto {
  @ApiProperty() name!: string;
  @ApiProperty() version!: string;
  @ApiProperty({ description: 'Unix milliseconds of the last inference, 0 if none' }) last_inference!: number;
  @ApiProperty() inference_count!: number;
  @ApiProperty() execution_count!: number;
  @ApiProperty({ type: InferenceStatsDto }) inference_stats!: InferenceStatsDto;
}

/** Triton's statistics extension. */
export class ModelStatisticsDto {
  @ApiProperty({ type: [ModelStatDto] }) model_stats!: ModelStatDto[];
}
