import { ApiProperty } from '@nestjs/swagger';

export class EvaluationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty() model!: string;
  @ApiProperty() version!: number;
  @ApiProperty() dataset!: string;
  @ApiProperty({ enum: ['classification', 'regression'] }) task!: string;
  @ApiProperty({ enum: ['all', 'validation'] }) split!: string;
  @ApiProperty({ description: 'Fraction done (0..1)' }) progress!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Classification: examples, accuracy, macro {precision, recall, f1}, perClass [{label, precision, recall, f1, support}], confusionMatrix {labels, matrix (rows: true, columns: predicted)}, logLoss, scores. Regression: examples, mse, rmse, mae, r2',
  })
  metrics!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) error!: { code: string; message: string } | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) startedAt!: string | null;
  @ApiProperty({ nullable: true }) finishedAt!: string | null;
}

export class EvaluationComparisonDto {
  @ApiProperty() model!: string;
  @ApiProperty() dataset!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'By version: {version, evaluation, task, split, finishedAt, headline (accuracy, macroF1, logLoss | mse, mae, r2), metrics}' })
  versions!: Array<Record<string, unknown>>;
}
