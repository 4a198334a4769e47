import type { Metadata } from 'next';
import { EmailCodeSignUpLink } from '@/features/email-code/email-code-links';
import { RegisterForm } from '@/features/identity/register-form';
import { ProviderButtons } from '@/features/oauth/provider-buttons';

export const metadata: Metadata = { title: 'Create an account' };

export default function RegisterPage() {
  return <RegisterForm providers={<ProviderButtons />} emailCode={<EmailCodeSignUpLink />} />;
}
