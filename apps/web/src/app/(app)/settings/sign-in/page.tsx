import type { Metadata } from 'next';
import { SignInMethods } from '@/components/settings/sign-in-methods';

export const metadata: Metadata = { title: 'Sign-in methods' };

export default function SignInMethodsPage() {
  return <SignInMethods />;
}
