import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PlanLimitsDto {
  @ApiProperty() requestsPerMinute!: number;
  @ApiProperty() concurrentRequests!: number;
  @ApiProperty() monthlyRequests!: number;
  @ApiProperty() storageBytes!: number;
  @ApiProperty() concurrentTrainingJobs!: number;
  @ApiProperty() pricePer1kRequests!: number;
  @ApiProperty() pricePerTrainingSecond!: number;
}

export class TenantDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ enum: ['FREE', 'PRO', 'ENTERPRISE'] }) plan!: string;
  @ApiPropertyOptional({ type: PlanLimitsDto }) limits?: PlanLimitsDto;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ['OWNER', 'ADMIN', 'MEMBER'] }) role!: string;
}

export class MeKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() prefix!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt!: string | null;
}

export class MeResponseDto {
  @ApiProperty({ type: TenantDto }) tenant!: TenantDto;
  @ApiProperty({ type: UserDto, nullable: true }) user!: UserDto | null;
  @ApiProperty({ type: MeKeyDto, nullable: true }) apiKey!: MeKeyDto | null;
  @ApiProperty({ type: [String] }) scopes!: string[];
}
