import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Scope } from '../scopes';

export const REQUIRED_SCOPES = 'maas:scopes';

/** The scopes a route needs (all of them); documented in OpenAPI with the credentials it takes. */
export const Scopes = (...scopes: Scope[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPES, scopes),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiUnauthorizedResponse({ description: 'Missing, malformed, unknown, expired or revoked credentials' }),
    ApiForbiddenResponse({ description: `Needs scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ') || '(none)'}` }),
  );
