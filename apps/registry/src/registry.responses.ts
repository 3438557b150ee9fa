import { ApiProperty } from '@nestjs/swagger';

export class ModelDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ nullable: true, type: String, example: 'classification' }) task!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) tags!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ModelPageDto {
  @ApiProperty({ type: [ModelDto] }) items!: ModelDto[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class TensorSpecDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [Number], description: '-1 for a dimension of any size' }) shape!: number[];
  @ApiProperty({ example: 'FP32', description: 'KServe V2 datatype' }) datatype!: string;
}

export class SignatureDto {
  @ApiProperty({ type: [TensorSpecDto] }) inputs!: TensorSpecDto[];
  @ApiProperty({ type: [TensorSpecDto] }) outputs!: TensorSpecDto[];
}

export class VersionDto {
  @ApiProperty({ description: 'The model name' }) model!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['onnx', 'tfjs'] }) runtime!: string;
  @ApiProperty({ enum: ['uploading', 'validating', 'ready', 'failed'] }) status!: string;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ type: SignatureDto }) signature!: SignatureDto;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'format, runtime provider, serving settings, lineage' }) metadata!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Pre/post-processing applied by predict (PUT …/pipeline)' }) pipeline!: Record<string, unknown> | null;
  @ApiProperty({ enum: ['upload', 'training', 'compression'] }) source!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AliasDto {
  @ApiProperty() alias!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class VersionPipelineDto {
  @ApiProperty() model!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: '{preprocess: {input: [steps]}, postprocess: {output, softmax, sigmoid, argmax, topk, labels, threshold}}, defaults filled in; null when the version has none' })
  pipeline!: Record<string, unknown> | null;
}
