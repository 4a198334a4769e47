import type { Metadata } from 'next';
import { MfaSettings } from '@/features/mfa/mfa-settings';

export const metadata: Metadata = { title: 'Two-factor authentication' };

export default function MfaSettingsPage() {
  return <MfaSettings />;
}
