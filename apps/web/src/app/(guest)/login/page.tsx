import type { Metadata } from 'next';
import { EmailCodeLoginLink } from '@/features/email-code/email-code-links';
import { LoginForm } from '@/features/identity/login-form';
import { OAuthNotice, ProviderButtons } from '@/features/oauth/provider-buttons';
import { PasskeySignIn } from '@/features/passkeys/passkey-sign-in';

export const metadata: Metadata = { title: 'Log in' };

export default function LoginPage() {
  return (
    <LoginForm
      providers={
        <>
          <OAuthNotice />
          <ProviderButtons />
        </>
      }
      passkey={<PasskeySignIn />}
      emailCode={<EmailCodeLoginLink />}
    />
  );
}
