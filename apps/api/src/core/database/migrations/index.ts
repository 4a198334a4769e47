import { AccessChanges1796700000000 } from './1796700000000-access-changes.js';
import { EmailChanges1796600000000 } from './1796600000000-email-changes.js';
import { SessionProofs1796500000000 } from './1796500000000-session-proofs.js';
import { RealtimeConnections1796400000001 } from './1796400000001-realtime-connections.js';
import { RateLimits1796400000000 } from './1796400000000-rate-limits.js';
import { SecurityEvents1796300000000 } from './1796300000000-security-events.js';
import { EmailCodes1795310000000 } from './1795310000000-email-codes.js';
import { Passkeys1796232805109 } from './1796232805109-passkeys.js';
import { UserIdentities1796232801010 } from './1796232801010-user-identities.js';
import { OptionalPassword1795300000000 } from './1795300000000-optional-password.js';
import { Notes1795241519804 } from './1795241519804-notes.js';
import { UsedRefreshTokens1795240632978 } from './1795240632978-used-refresh-tokens.js';
import { Auth1795239661404 } from './1795239661404-auth.js';
import { MailOutbox1795239270287 } from './1795239270287-mail-outbox.js';
import { Extensions1763700000000 } from './1763700000000-extensions.js';

/** Every migration, oldest first. `pnpm --filter @repo/api db:migration:generate Name` appends here. */
export const migrations = [
  Extensions1763700000000,
  MailOutbox1795239270287,
  Auth1795239661404,
  UsedRefreshTokens1795240632978,
  Notes1795241519804,
  OptionalPassword1795300000000,
  EmailCodes1795310000000,
  UserIdentities1796232801010,
  Passkeys1796232805109,
  SecurityEvents1796300000000,
  RateLimits1796400000000,
  RealtimeConnections1796400000001,
  SessionProofs1796500000000,
  EmailChanges1796600000000,
  AccessChanges1796700000000,
];
