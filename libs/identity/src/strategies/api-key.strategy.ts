import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { credentialOf } from '../credentials/request-credentials';
import type { Principal } from '../principal';

export const API_KEY_STRATEGY = 'api-key';

/** `Authorization: Bearer mk_…` or `X-API-Key: mk_…`. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly verifier: ApiKeyVerifier) {
    super();
  }

  validate(request: { headers: Record<string, string | string[] | undefined> }): Promise<Principal> {
    const credential = credentialOf(request.headers);
    if (credential?.kind !== 'api-key') throw new UnauthorizedException('Missing API key');
    return this.verifier.verify(credential.value);
  }
}
