import { type User } from '@repo/contracts';
import { type UserEntity } from './user.entity.js';

/** The only way a user leaves the API: no hash or secret can slip into a response. */
export const toUser = (user: UserEntity): User => ({
  id: user.id,
  email: user.email,
  name: user.name,
  emailVerified: user.emailVerifiedAt !== null,
  mfaEnabled: user.totpEnabledAt !== null,
  hasPassword: user.hasPassword,
  createdAt: user.createdAt.toISOString(),
});
