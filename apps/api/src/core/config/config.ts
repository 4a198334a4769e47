/* eslint-disable @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type --
   the interface below types the fields Object.assign copies in: one injectable, fully typed object. */
import { type Env } from './env.schema.js';

/**
 * The validated configuration, injectable by its class: `constructor(private config: Config)`.
 * Built once at start from the environment (see env.ts); never read process.env elsewhere.
 */
export class Config {
  constructor(env: Env) {
    Object.assign(this, env);
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** Secure in production and whenever SameSite=None (browsers require it); plain http in dev. */
  get cookieSecure(): boolean {
    return this.COOKIE_SECURE ?? (this.isProduction || this.COOKIE_SAMESITE === 'none');
  }
}

export interface Config extends Readonly<Env> {}
