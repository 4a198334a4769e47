import { Injectable, type OnModuleInit } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { randomToken } from './crypto.js';

/** argon2id (the library's default algorithm) with OWASP's parameters: 19 MiB, 2 passes. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Hashing runs on the libuv pool, so logins never block the event loop. */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash = '';

  async onModuleInit() {
    this.dummyHash = await hash(randomToken(), OPTIONS);
  }

  hash(password: string): Promise<string> {
    return hash(password, OPTIONS);
  }

  /**
   * Checks a password against a hash. Without a hash (unknown email, or no password set) it checks against a dummy
   * one, so the answer takes as long either way and timing reveals no account.
   */
  async verify(passwordHash: string | null | undefined, password: string): Promise<boolean> {
    const matches = await verify(passwordHash ?? this.dummyHash, password).catch(() => false);
    return matches && typeof passwordHash === 'string';
  }
}
