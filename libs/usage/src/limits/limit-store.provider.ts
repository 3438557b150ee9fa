import type { Provider } from '@nestjs/common';
import { AppConfig } from '@maas/config';
import { LIMIT_STORE, type LimitStore } from './limit-store';
import { LocalLimitStore } from './local-limit-store';
import { RedisLimitStore } from './redis-limit-store';

/** Limits shared through Redis when REDIS_URL is set, else kept in this process's memory. */
export const limitStoreProvider: Provider<LimitStore> = {
  provide: LIMIT_STORE,
  inject: [AppConfig],
  useFactory: async (config: AppConfig) => (config.redisUrl ? await RedisLimitStore.open(config.redisUrl) : new LocalLimitStore()),
};
