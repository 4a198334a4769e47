import type { Metadata } from 'next';
import { PasswordSettings } from '@/features/passwords/password-settings';

export const metadata: Metadata = { title: 'Password' };

export default function PasswordSettingsPage() {
  return <PasswordSettings />;
}
