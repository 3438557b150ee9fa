import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { PasswordAuthenticator } from './accounts/password-authenticator';
import { UsersRepository } from './accounts/users.repository';
import { ApiKeyVerifier } from './api-keys/api-key-verifier';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { LastUsedTracker } from './api-keys/last-used-tracker';
import { AuditLog } from './audit/audit-log';
import { SessionTokens } from './credentials/session-tokens';
import { AuthenticationGuard } from './guards/authentication.guard';
import { RequestAuthenticator } from './guards/request-authenticator';
import { ScopesGuard } from './guards/scopes.guard';
import { ApiKeyStrategy } from './strategies/api-key.strategy';
import { PasswordStrategy } from './strategies/password.strategy';
import { SessionStrategy } from './strategies/session.strategy';

/**
 * Who is calling, in every app: Passport strategies for API keys, console sessions and passwords,
 * the global authentication and scope guards, and the repositories they read.
 */
@Global()
@Module({
  imports: [PassportModule, JwtModule.register({})],
  providers: [
    ApiKeysRepository,
    UsersRepository,
    LastUsedTracker,
    ApiKeyVerifier,
    SessionTokens,
    AuditLog,
    PasswordAuthenticator,
    ApiKeyStrategy,
    SessionStrategy,
    PasswordStrategy,
    RequestAuthenticator,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: ScopesGuard },
  ],
  exports: [RequestAuthenticator, ApiKeysRepository, UsersRepository, ApiKeyVerifier, SessionTokens, AuditLog, LastUsedTracker],
})
export class IdentityModule {}
