import { ApiProperty } from '@nestjs/swagger';

export class CompressionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['queued', 'running', 'succeeded', 'failed'] }) status!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ description: 'The version compressed' }) version!: number;
  @ApiProperty({ enum: ['int8', 'fp16', 'auto'] }) method!: string;
  @ApiProperty() tolerance!: number;
  @ApiProperty({ description: 'Fraction done (0..1)' }) progress!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'sizeBytes {parent, compressed, ratio}, rewritten {int8, fp16}, samples {rows, generated}, outputs [{name, maxAbsError, relativeL2, argmaxAgreement?}], latencyMs [{batch, parent, compressed, speedup}] (p50 compute time on this platform), resultVersion; kept when the job failed over the tolerance',
  })
  report!: Record<string, unknown> | null;
  @ApiProperty({ nullable: true, description: 'The version it made' }) resultVersion!: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) error!: { code: string; message: string } | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true }) startedAt!: string | null;
  @ApiProperty({ nullable: true }) finishedAt!: string | null;
}
