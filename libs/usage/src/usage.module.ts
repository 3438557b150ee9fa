import { Global, Module } from '@nestjs/common';
import { limitStoreProvider } from './limits/limit-store.provider';
import { TenantPlans } from './limits/tenant-plans.repository';
import { UsageLimits } from './limits/usage-limits';
import { UsageQueryRepository } from './query/usage-query.repository';
import { UsageQueryService } from './query/usage-query.service';
import { UsageSummary } from './query/usage-summary';
import { UsageFlusher } from './usage-flusher';
import { UsageRecorder } from './usage-recorder';
import { UsageRollupsRepository } from './usage-rollups.repository';

/** Usage metering (recorder → flusher → rollups), usage queries, and the plan limits admitted against them. */
@Global()
@Module({
  providers: [UsageRecorder, UsageRollupsRepository, UsageFlusher, UsageQueryRepository, UsageQueryService, UsageSummary, TenantPlans, limitStoreProvider, UsageLimits],
  exports: [UsageRecorder, UsageFlusher, UsageQueryService, UsageSummary, UsageQueryRepository, TenantPlans, UsageLimits],
})
export class UsageModule {}
