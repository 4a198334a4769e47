import { type DataSource } from 'typeorm';
import { PasswordService } from '../crypto/password.service.js';

/** The verified demo account `pnpm db:seed` creates, for trying the app and for `pnpm run doctor`. */
export const DEMO_USER = {
  email: 'demo@example.com',
  password: 'demo-password-123',
  name: 'Demo User',
} as const;

/** Creates the demo user unless it exists; returns whether it did. */
export async function seedDemoUser(dataSource: DataSource): Promise<boolean> {
  const passwordHash = await new PasswordService().hash(DEMO_USER.password);
  const inserted = await dataSource.query<unknown[]>(
    `INSERT INTO users (email, name, password_hash, email_verified_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (email) DO NOTHING
     RETURNING id`,
    [DEMO_USER.email, DEMO_USER.name, passwordHash],
  );
  return inserted.length > 0;
}
