import { Global, Module } from '@nestjs/common';
import { UsageRecorder } from './usage-recorder';

@Global()
@Module({ providers: [UsageRecorder], exports: [UsageRecorder] })
export class UsageModule {}
