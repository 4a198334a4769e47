import type { Metadata } from 'next';
import { EmailCodePage } from '@/features/email-code/email-code-page';

export const metadata: Metadata = { title: 'Log in with an email code' };

export default function EmailCodeLoginPage() {
  return <EmailCodePage />;
}
