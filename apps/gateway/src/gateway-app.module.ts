import { Module } from '@nestjs/common';

/**
 * The inference gateway: KServe V2 serving with dynamic batching. Its feature modules arrive with
 * the serving capability; until then it serves the service basics only.
 */
@Module({})
export class GatewayAppModule {}
