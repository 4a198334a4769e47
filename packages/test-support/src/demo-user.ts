/**
 * The verified account the API's seed creates (`pnpm --filter api db:seed`, and `pnpm stack`):
 * what the doctor logs in with by default, and what tests expect the seed to have made.
 */
export const DEMO_USER = { email: 'demo@example.com', password: 'demo-password-123' };
