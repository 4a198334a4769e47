import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Config } from '../core/config/config.js';
import { type AccessClaims } from './access-token.js';

/**
 * Access tokens this process has verified, by their exact text, with their claims. A client
 * sends the same token with every request for its whole lifetime, so its signature and claims
 * need checking once: a hit costs a map lookup instead of jsonwebtoken's two decodes and an
 * HMAC. Only what cannot change is kept (the token's bytes were signed with our key, its claims
 * passed access-token.ts's rules): whether its session is still live is asked on every request
 * all the same (AccessCache). An entry is never used after the token's `exp`, and at most
 * ACCESS_CACHE_MAX tokens are kept (least recently used out; 0 turns this off).
 */
@Injectable()
export class VerifiedAccessTokens {
  private readonly tokens: LRUCache<string, AccessClaims> | undefined;

  constructor(config: Config) {
    if (config.ACCESS_CACHE_MAX > 0) this.tokens = new LRUCache({ max: config.ACCESS_CACHE_MAX });
  }

  /** The claims of `token` if this process verified it and it has not expired since. */
  get(token: string): AccessClaims | undefined {
    const claims = this.tokens?.get(token);
    if (!claims) return undefined;
    // jsonwebtoken's rule: a token has expired from the second its `exp` names.
    if (Date.now() < claims.exp * 1000) return claims;
    this.tokens!.delete(token);
    return undefined;
  }

  /** Records a token that passed verification, with the claims it was found to carry. */
  add(token: string, claims: AccessClaims): void {
    this.tokens?.set(token, claims);
  }
}
