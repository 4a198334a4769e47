'use client';

import { useUser } from '@/components/providers/auth-provider';
import { Card } from '@/components/ui/card';

/** The email-code way in, on the sign-in methods page: always on, nothing to set up. */
export function EmailCodeMethod() {
  const user = useUser();
  return (
    <Card title="Email code" description="A one-time code sent to your email address.">
      <p className="text-sm" data-testid="email-code-status">
        Always on: choose “Email me a code” when you log in, and we send it to{' '}
        <strong className="wrap-anywhere">{user.email}</strong>.
      </p>
    </Card>
  );
}
