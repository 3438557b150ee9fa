import { Module } from '@nestjs/common';

/**
 * The auth app: sign-up, login, tenants, members and API keys. Its feature modules arrive with the
 * identity capability; until then it serves the service basics (health, OpenAPI) only.
 */
@Module({})
export class AuthAppModule {}
