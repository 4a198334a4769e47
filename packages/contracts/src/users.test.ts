import { describe, expect, it } from 'vitest';
import { emailSchema } from './users.js';

describe('emailSchema', () => {
  it('trims and lower-cases before checking', () => {
    expect(emailSchema.parse('  Ada@Example.COM \n')).toBe('ada@example.com');
  });

  it.each(['ü@exämple.com', 'a@b', 'a b@example.com', '', `${'a'.repeat(250)}@example.com`])(
    'refuses %j',
    (email) => {
      expect(emailSchema.safeParse(email).success).toBe(false);
    },
  );
});
