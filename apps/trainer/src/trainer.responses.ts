import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class DatasetDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['csv', 'jsonl'] }) format!: string;
  @ApiProperty() rows!: number;
  @ApiProperty() sizeBytes!: number;
  @ApiProperty({ nullable: true, type: String }) labelColumn!: string | null;
  @ApiProperty({ type: [String] }) featureColumns!: string[];
  @ApiProperty({ type: [Number], description: 'The shape of one example' }) featureShape!: number[];
  @ApiProperty({ type: [String], nullable: true, description: 'Label classes, when the labels are not numbers' }) classes!: string[] | null;
  @ApiProperty() numericLabels!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DatasetListDto {
  @ApiProperty({ type: [DatasetDto] }) data!: DatasetDto[];
}

export class EpochMetricsDto {
  @ApiProperty() epoch!: number;
  @ApiProperty() loss!: number;
  @ApiPropertyOptional() accuracy?: number;
  @ApiPropertyOptional() mae?: number;
  @ApiPropertyOptional() val_loss?: number;
  @ApiPropertyOptional() val_accuracy?: number;
  @ApiPropertyOptional() val_mae?: number;
}

export class TrainingJobDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }) status!: string;
  @ApiProperty({ description: 'The target model' }) model!: string;
  @ApiProperty() dataset!: string;
  @ApiProperty({ enum: ['classification', 'regression'] }) task!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'optimizer, learningRate, epochs, batchSize, loss, seed, validationSplit' }) hyperparameters!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) estimatedFinish!: string | null;
  @ApiProperty({ description: 'Fraction done, 0 to 1' }) progress!: number;
  @ApiProperty({ description: 'Epochs done' }) epoch!: number;
  @ApiProperty({ type: EpochMetricsDto, nullable: true, description: 'The last epoch’s' }) metrics!: EpochMetricsDto | null;
  @ApiProperty({ nullable: true, type: Number }) resultVersion!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'wasm', description: 'The TensorFlow.js backend it trained on' }) backend!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() attempts!: number;
}

export class TrainingJobPageDto {
  @ApiProperty({ type: [TrainingJobDto] }) data!: TrainingJobDto[];
  @ApiProperty() hasMore!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page' }) nextCursor!: string | null;
}

export class TrainingEventDto {
  @ApiProperty({ description: 'Increasing; the SSE id (Last-Event-ID)' }) id!: string;
  @ApiProperty({ enum: ['info', 'warn', 'error'] }) level!: string;
  @ApiProperty({ enum: ['message', 'metrics'] }) type!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) data!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class TrainingEventPageDto {
  @ApiProperty({ type: [TrainingEventDto] }) data!: TrainingEventDto[];
  @ApiProperty() hasMore!: boolean;
}

export class CheckpointDto {
  @ApiProperty() epoch!: number;
  @ApiProperty({ type: EpochMetricsDto }) metrics!: EpochMetricsDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PromotedCheckpointDto {
  @ApiProperty() model!: string;
  @ApiProperty() version!: number;
  @ApiProperty() epoch!: number;
}
