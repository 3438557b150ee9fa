import { Module } from '@nestjs/common';

/**
 * The registry app: models, immutable versions, aliases and encrypted artifacts. Its feature
 * modules arrive with the registry capability; until then it serves the service basics only.
 */
@Module({})
export class RegistryAppModule {}
