import { Global, Module } from '@nestjs/common';
import { UsageFlusher } from './usage-flusher';
import { UsageRecorder } from './usage-recorder';
import { UsageRollupsRepository } from './usage-rollups.repository';

/** Usage metering: the recorder the hot path appends to, and the flusher that writes rollups. */
@Global()
@Module({ providers: [UsageRecorder, UsageRollupsRepository, UsageFlusher], exports: [UsageRecorder, UsageFlusher] })
export class UsageModule {}
