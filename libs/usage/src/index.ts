export { UsageModule } from './usage.module';
export { UsageRecorder, type UsageEvent } from './usage-recorder';
