import type { Metadata } from 'next';
import { PasswordSettings } from '@/components/email-code/password-settings';

export const metadata: Metadata = { title: 'Password' };

export default function PasswordSettingsPage() {
  return <PasswordSettings />;
}
