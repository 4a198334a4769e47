import type { Metadata } from 'next';
import { RequestCodeForm } from '@/features/email-code/request-code-form';

export const metadata: Metadata = { title: 'Sign up with an email code' };

export default function EmailCodeRegisterPage() {
  return <RequestCodeForm signUp />;
}
