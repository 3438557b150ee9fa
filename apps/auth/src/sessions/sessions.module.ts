import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@maas/config';
import { normaliseEmail } from '@maas/identity';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

const MINUTE_MS = 60_000;

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          { name: 'login-per-ip', ttl: MINUTE_MS, limit: config.loginAttemptsPerIp, blockDuration: MINUTE_MS },
          {
            name: 'login-per-email',
            ttl: MINUTE_MS,
            limit: config.loginAttemptsPerEmail,
            blockDuration: MINUTE_MS,
            getTracker: (request: Record<string, any>) => normaliseEmail(String(request.body?.email ?? '')),
          },
        ],
      }),
    }),
  ],
  controllers: [SessionsController],
  providers: [SessionsService, LoginThrottlerGuard],
})
export class SessionsModule {}
