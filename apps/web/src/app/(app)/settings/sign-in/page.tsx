import type { Metadata } from 'next';
import { EmailCodeMethod } from '@/features/email-code/email-code-method';
import { LinkedAccounts } from '@/features/oauth/linked-accounts';
import { PasskeysSettings } from '@/features/passkeys/passkeys-settings';
import { PasswordMethod } from '@/features/passwords/password-method';

export const metadata: Metadata = { title: 'Sign-in methods' };

/** Every way into the account, side by side: the password, and each method's own section. */
export default function SignInMethodsPage() {
  return (
    <div className="flex flex-col gap-6">
      <PasswordMethod />
      <EmailCodeMethod />
      <PasskeysSettings />
      <LinkedAccounts />
    </div>
  );
}
