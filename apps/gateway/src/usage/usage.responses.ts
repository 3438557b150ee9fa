import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LatencyPercentilesDto {
  @ApiProperty({ nullable: true, type: Number }) p50!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p99!: number | null;
}

export class UsageResultDto {
  @ApiProperty() requests!: number;
  @ApiProperty() errors!: number;
  @ApiProperty() items!: number;
  @ApiProperty() bytes_in!: number;
  @ApiProperty() bytes_out!: number;
  @ApiProperty() training_seconds!: number;
  @ApiProperty({ type: LatencyPercentilesDto, nullable: true, description: 'Estimated from a fixed histogram: the true value lies in the bucket reported' }) latency_ms!: LatencyPercentilesDto | null;
  @ApiPropertyOptional({ nullable: true, type: String }) model?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) version?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'null for requests made with a console session' }) api_key_id?: string | null;
  @ApiPropertyOptional({ enum: ['success', 'client_error', 'server_error'] }) status?: 'success' | 'client_error' | 'server_error';
}

export class UsageBucketDto {
  @ApiProperty({ description: 'Unix seconds' }) start_time!: number;
  @ApiProperty({ description: 'Unix seconds' }) end_time!: number;
  @ApiProperty({ type: [UsageResultDto] }) results!: UsageResultDto[];
}

export class UsagePageDto {
  @ApiProperty({ enum: ['page'] }) object!: 'page';
  @ApiProperty({ type: [UsageBucketDto] }) data!: UsageBucketDto[];
  @ApiProperty() has_more!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'start_time of the next page' }) next_page!: number | null;
}

export class UsagePeriodDto {
  @ApiProperty() start_time!: number;
  @ApiProperty() end_time!: number;
}

export class QuotaDto {
  @ApiProperty() monthly_requests!: number;
  @ApiProperty() remaining!: number;
}

export class PricesDto {
  @ApiProperty() per_1k_requests!: number;
  @ApiProperty() per_training_second!: number;
}

export class EstimatedCostDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty() requests!: number;
  @ApiProperty() training!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ type: PricesDto }) prices!: PricesDto;
}

export class UsageSummaryDto {
  @ApiProperty({ type: UsagePeriodDto }) period!: UsagePeriodDto;
  @ApiProperty() requests!: number;
  @ApiProperty() errors!: number;
  @ApiProperty() items!: number;
  @ApiProperty() training_seconds!: number;
  @ApiProperty({ type: QuotaDto }) quota!: QuotaDto;
  @ApiProperty({ type: EstimatedCostDto }) estimated_cost!: EstimatedCostDto;
}
