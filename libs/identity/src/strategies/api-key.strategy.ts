import { Injectable, OnModuleInit } from '@nestjs/common';
import passport from 'passport';
import { Strategy } from 'passport-strategy';
import { ApiKeyVerifier } from '../api-keys/api-key-verifier';
import { credentialOf } from '../credentials/request-credentials';
import type { Principal } from '../principal';

export const API_KEY_STRATEGY = 'api-key';

/**
 * The Passport strategy for `Authorization: Bearer mk_…` and `X-API-Key: mk_…`. Written against
 * passport-strategy directly (not Nest's async mixin) so a cached key is accepted synchronously;
 * it is registered with Passport too, so `AuthGuard('api-key')` works as anywhere else.
 */
@Injectable()
export class ApiKeyStrategy extends Strategy implements OnModuleInit {
  name = API_KEY_STRATEGY;

  constructor(private readonly verifier: ApiKeyVerifier) {
    super();
  }

  onModuleInit(): void {
    passport.use(API_KEY_STRATEGY, this);
  }

  override authenticate(this: Strategy & ApiKeyStrategy, request: { headers: Record<string, string | string[] | undefined> }): void {
    const credential = credentialOf(request.headers);
    if (credential?.kind !== 'api-key') return this.fail({ message: 'Missing API key' }, 401);
    let result: Principal | Promise<Principal>;
    try {
      result = this.verifier.verify(credential.value);
    } catch (error) {
      return this.error(error as Error);
    }
    if (result instanceof Promise) result.then((principal) => this.success(principal), (error: Error) => this.error(error));
    else this.success(result);
  }
}
